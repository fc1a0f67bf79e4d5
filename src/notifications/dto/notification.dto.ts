import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LANGS, type Lang } from '../../core/http/i18n/lang';
import { PageQuery } from '../../core/http/pagination';
import { EMAIL_CADENCES, type EmailCadence } from '../../protocol/views';

export class ListNotificationsQuery extends PageQuery {
  /** `true`: only the unread ones. */
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  unread?: 'true' | 'false';
}

/** Marks some notifications read (`ids`), or every one (`all: true`); exactly one of the two. */
export class MarkReadDto {
  @ValidateIf((o: MarkReadDto) => o.all === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each id must be a UUID' })
  ids?: string[];

  @ValidateIf((o: MarkReadDto) => o.ids === undefined)
  @Equals(true, { message: 'must be true' })
  all?: true;
}

/** The kinds a person receives; a switch left out keeps its value. */
export class NotificationSwitchesDto {
  @IsOptional() @IsBoolean() ladder?: boolean;
  @IsOptional() @IsBoolean() status?: boolean;
  @IsOptional() @IsBoolean() answer?: boolean;
  @IsOptional() @IsBoolean() reply?: boolean;
  @IsOptional() @IsBoolean() hidden?: boolean;
  @IsOptional() @IsBoolean() room?: boolean;
  @IsOptional() @IsBoolean() budget?: boolean;
  @IsOptional() @IsBoolean() due?: boolean;
}

/** Changes some settings; what is left out is kept. */
export class NotificationSettingsDto {
  @IsOptional()
  @IsIn(EMAIL_CADENCES)
  email?: EmailCadence;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => NotificationSwitchesDto)
  types?: NotificationSwitchesDto;

  /** Whether commenting on a topic makes one follow it. */
  @IsOptional()
  @IsBoolean()
  followOnComment?: boolean;

  /** The language email is written in. */
  @IsOptional()
  @IsIn(LANGS)
  language?: Lang;
}
