import { IsUUID } from 'class-validator';

export class QueueRoomDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;
}

export class QueueRemoveDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  @IsUUID('all', { message: 'must be a UUID' })
  userId!: string;
}
