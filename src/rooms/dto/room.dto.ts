import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsUUID,
  Max,
  Min,
  IsObject,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../core/http/pagination';
import { IsSingleLine } from '../../core/http/text-validators';
import { ROOM_STATUSES, type RoomStatus } from '../room.entity';
import { parseStreamUrl } from '../stream-url';

/** A stream address `parseStreamUrl` accepts, or null (no stream). */
function IsStreamUrl(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isStreamUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be a YouTube or Vimeo link, or an https address of an HLS (.m3u8) or MP4 (.mp4) stream',
      },
      validator: {
        validate: (value: unknown) =>
          value === null || (typeof value === 'string' && parseStreamUrl(value) !== null),
      },
    });
}

export class RoomSettingsDto {
  @IsOptional()
  @IsBoolean()
  chat?: boolean;

  /** One message per person per this many seconds; 0 turns slow mode off. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  slowModeSeconds?: number;

  @IsOptional()
  @IsBoolean()
  questions?: boolean;

  @IsOptional()
  @IsBoolean()
  approveQuestions?: boolean;

  /** Each speaker's time on the floor, 10 s – 1 h. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3600)
  speakerSeconds?: number;

  /**
   * The session's stream, shown beside the chat: a YouTube or Vimeo link, or an https address
   * of an HLS (.m3u8) or MP4 (.mp4) stream; `null` removes it.
   */
  @IsOptional()
  @IsStreamUrl()
  streamUrl?: string | null;
}

/** A facilitator changes a room: its title, or some of its settings (the rest are kept). */
export class UpdateRoomDto {
  @IsOptional()
  @IsSingleLine(1, 200)
  title?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RoomSettingsDto)
  settings?: RoomSettingsDto;
}

export class CreateRoomDto {
  @IsSingleLine(1, 200)
  title!: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  startsAt?: string;

  @IsOptional()
  // An object, not an array: ValidateNested alone accepted `[]` (every element valid).
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => RoomSettingsDto)
  settings?: RoomSettingsDto;
}

export class ListRoomsQuery extends PageQuery {
  @IsOptional()
  @IsIn(ROOM_STATUSES)
  status?: RoomStatus;

  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  topicId?: string;

  /** The rooms of one space (the back office's to-do list). */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  spaceId?: string;
}

export class JoinRoomDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  /** The last room `seq` the client saw: later events are replayed in order. */
  @IsOptional()
  @IsInt()
  @Min(0)
  sinceSeq?: number;

  /**
   * A rejoin that keeps its messages: with `sinceSeq`, and unless too much was missed
   * (`reset`), the answer leaves `recent` out (`lean: true`). Without `sinceSeq` it is ignored.
   */
  @IsOptional()
  @IsBoolean()
  lean?: boolean;
}

export class RoomRefDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;
}
