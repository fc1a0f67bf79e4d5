import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { PageQuery } from '../../core/http/pagination';
import { type RungName } from '../topic-lifecycle';
import { IsPlainText, IsSingleLine } from '../../core/http/text-validators';
import { STANCES, type Stance } from '../topic-participation.entity';
import { TOPIC_STATUSES, type TopicStatus } from '../topic.entity';

/**
 * Tags on creation and on edit alike: each one NFC-normalised and trimmed before it is checked,
 * so the same word typed on another keyboard (decomposed Hangul, a stray space) is stored once
 * and in one form.
 */
const normaliseTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.normalize('NFC').trim() : v))
    : value;

export class CreateTopicDto {
  /** 5–200 characters, one line. */
  @IsSingleLine(5, 200)
  title!: string;

  /** 1–20,000 characters of plain text. */
  @IsPlainText(1, 20000)
  body!: string;

  /** Up to 10 tags of 1–30 letters, digits, spaces or hyphens. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Transform(normaliseTags)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]{0,29}$/u, {
    each: true,
    message: 'each tag must be 1–30 letters, digits, spaces or hyphens',
  })
  tags?: string[];
}

export class UpdateTopicDto {
  @IsOptional()
  @IsSingleLine(5, 200)
  title?: string;

  @IsOptional()
  @IsPlainText(1, 20000)
  body?: string;

  /** Up to 10 tags of 1–30 letters, digits, spaces or hyphens; replaces the topic's tags. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Transform(normaliseTags)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]{0,29}$/u, {
    each: true,
    message: 'each tag must be 1–30 letters, digits, spaces or hyphens',
  })
  tags?: string[];
}

/** `near`: open topics closest to their next rung first. */
export const TOPIC_SORTS = ['recent', 'agrees', 'active', 'near'] as const;
export type TopicSort = (typeof TOPIC_SORTS)[number];

export class ListTopicsQuery extends PageQuery {
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  spaceId?: string;

  @IsOptional()
  @IsIn(TOPIC_STATUSES)
  status?: TopicStatus;

  @IsOptional()
  @IsIn(TOPIC_SORTS)
  sort?: TopicSort;

  /** Substring search in title and body (Korean included). */
  @IsOptional()
  @Length(1, 100)
  q?: string;
}

export const MANUAL_TARGETS = ['deliberating', 'closed', 'rejected'] as const;

export class TransitionDto {
  @IsIn(MANUAL_TARGETS)
  to!: (typeof MANUAL_TARGETS)[number];

  /** Required for a rejection and for opening a deliberation below its threshold. */
  @IsOptional()
  @IsPlainText(1, 2000)
  reason?: string;

  /** When a deliberation closes (ISO-8601, in the future); default: the space's deliberationDays. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  closesAt?: string;
}

export class ResponseDto {
  @IsPlainText(1, 20000)
  body!: string;

  /** The answering office, e.g. "서울시 도시재생과"; defaults to "facilitator". */
  @IsOptional()
  @IsSingleLine(1, 100)
  role?: string;
}

export class StanceDto {
  @IsIn(STANCES)
  stance!: Stance;
}

export class TimelineQuery extends PageQuery {}

export interface TopicView {
  id: string;
  spaceId: string;
  author: { id: string; displayName: string };
  title: string;
  body: string;
  tags: string[];
  status: TopicStatus;
  counts: {
    agrees: number;
    comments: number;
    participants: number;
    stances: { for: number; against: number; neutral: number };
  };
  ladder: { rung: number; next: RungName | null; needed: number | null };
  proposalExpiresAt: string;
  deliberationOpenedAt: string | null;
  closesAt: string | null;
  rejectedReason: string | null;
  response: {
    id: string;
    body: string;
    role: string;
    author: { id: string; displayName: string };
    createdAt: string;
  } | null;
  owedAnswers: { rung: string; dueAt: string; answeredAt: string | null }[];
  seq: number;
  myAgree: boolean | null;
  myStance: Stance | null;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  actor: { id: string; displayName: string } | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** An answer a topic still owes, for the space's facilitators' to-do list. */
export interface OwedAnswerItem {
  topicId: string;
  title: string;
  status: TopicStatus;
  rung: 'review' | 'response';
  dueAt: string;
  overdue: boolean;
}
