import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { COMMENT_BODY_MAX } from '../../../comments/dto/comment.dto';
import { IsPlainText } from '../../../core/http/text-validators';
import { MaxCodePoints } from '../../../moderation/dto/moderation-validators';

/** Reasons are shown to the public (hidden comments) or to the sanctioned user. */
const REASON_MAX = 500;

export const MUTE_MINUTES_DEFAULT = 10;

class RoomRef {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;
}

/** `mod:hide` / `mod:restore`. */
export class ModCommentDto extends RoomRef {
  @IsUUID('all', { message: 'must be a UUID' })
  commentId!: string;

  @IsPlainText(1, REASON_MAX)
  @MaxCodePoints(REASON_MAX)
  reason!: string;
}

/** `mod:pin`. */
export class ModPinDto extends RoomRef {
  @IsUUID('all', { message: 'must be a UUID' })
  commentId!: string;
}

/** `mod:announce`. */
export class ModAnnounceDto extends RoomRef {
  @IsPlainText(1, COMMENT_BODY_MAX)
  body!: string;
}

/** `mod:mute`: for `minutes` (1–1440, default 10). */
export class ModMuteDto extends RoomRef {
  @IsUUID('all', { message: 'must be a UUID' })
  userId!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes?: number;

  @IsPlainText(1, REASON_MAX)
  @MaxCodePoints(REASON_MAX)
  reason!: string;
}

/** `mod:ban`: removed from the room for good. */
export class ModBanDto extends RoomRef {
  @IsUUID('all', { message: 'must be a UUID' })
  userId!: string;

  @IsPlainText(1, REASON_MAX)
  @MaxCodePoints(REASON_MAX)
  reason!: string;
}

/** `mod:slowmode`: one message per `seconds` per person (0 turns it off). */
export class ModSlowModeDto extends RoomRef {
  @IsInt()
  @Min(0)
  @Max(3600)
  seconds!: number;
}

/** `mod:lock`: chat closed to everyone but facilitators while `locked`. */
export class ModLockDto extends RoomRef {
  @IsBoolean()
  locked!: boolean;
}

/** `mod:unmute` / `mod:unban`: lifts the sanction early; the reason is for the audit log. */
export class ModLiftDto extends RoomRef {
  @IsUUID('all', { message: 'must be a UUID' })
  userId!: string;

  @IsOptional()
  @IsPlainText(1, REASON_MAX)
  @MaxCodePoints(REASON_MAX)
  reason?: string;
}

/** `mod:unpin`. */
export class ModUnpinDto extends RoomRef {}
