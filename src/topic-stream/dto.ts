import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';

export class WatchTopicDto {
  @IsUUID('all', { message: 'must be a UUID' })
  topicId!: string;

  /** The last `seq` the client saw: events after it are replayed in order. */
  @IsOptional()
  @IsInt()
  @Min(0)
  sinceSeq?: number;
}

export class UnwatchTopicDto {
  @IsUUID('all', { message: 'must be a UUID' })
  topicId!: string;
}
