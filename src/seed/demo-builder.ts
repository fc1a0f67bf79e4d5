import { type INestApplication } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { CreateCommentDto } from '../comments/dto/comment.dto';
import { type AuthUser } from '../identity/auth/auth-user';
import { AuthService } from '../identity/auth/auth.service';
import { PasswordHasher } from '../identity/auth/password-hasher';
import { RegisterDto } from '../identity/dto/auth.dto';
import { User } from '../identity/users/user.entity';
import { AdminAccounts } from '../identity/users/admin-accounts';
import { AgreesService } from '../reactions/agrees.service';
import { CreateSpaceDto } from '../spaces/dto/space.dto';
import { SpacesService } from '../spaces/spaces.service';
import { DeadlineScheduler } from '../topics/deadline-scheduler';
import { CreateTopicDto, ResponseDto, StanceDto, TransitionDto } from '../topics/dto/topic.dto';
import { type Stance } from '../topics/topic-participation.entity';
import { TopicResponsesService } from '../topics/topic-responses.service';
import { TopicStancesService } from '../topics/topic-stances.service';
import { TopicTransitionsService } from '../topics/topic-transitions.service';
import { TopicsService } from '../topics/topics.service';
import { CommentsService } from '../comments/comments.service';

import { CITIZEN_NAMES, DEMO_EMAILS, DEMO_PASSWORDS, SPAMMER } from './demo-constants';

/** Builds a DTO and validates it with the API's own rules, so demo data is data a client could send. */
export function dto<T extends object>(cls: ClassConstructor<T>, plain: Record<string, unknown>): T {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const value = plainToInstance(cls, defined);
  const errors = validateSync(value, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) {
    const detail = errors
      .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`)
      .join('; ');
    throw new Error(`demo ${cls.name} is invalid: ${detail}`);
  }
  return value;
}

/** One comment of a thread, with the replies under it. */
export interface Say {
  by: AuthUser;
  text: string;
  /** The commenter's stance; also taken on the topic (deliberations only). */
  stance?: Stance;
  /** How many other citizens agree (공감) with the comment. */
  agrees?: number;
  replies?: Say[];
  /** Remembers the comment's id under this key (for moderation). */
  key?: string;
}

export class DemoBuilder {
  private readonly db: DataSource;
  private readonly spaces: SpacesService;
  private readonly topics: TopicsService;
  private readonly transitions: TopicTransitionsService;
  private readonly responses: TopicResponsesService;
  private readonly stanceService: TopicStancesService;
  private readonly comments: CommentsService;
  private readonly agrees: AgreesService;
  private offset = 0;
  readonly keys = new Map<string, string>();
  admin!: AuthUser;
  budgetFacilitator!: AuthUser;
  villageFacilitator!: AuthUser;
  citizens: AuthUser[] = [];
  readonly notes: string[] = [];

  constructor(readonly app: INestApplication) {
    this.db = app.get(DataSource);
    this.spaces = app.get(SpacesService);
    this.topics = app.get(TopicsService);
    this.transitions = app.get(TopicTransitionsService);
    this.responses = app.get(TopicResponsesService);
    this.stanceService = app.get(TopicStancesService);
    this.comments = app.get(CommentsService);
    this.agrees = app.get(AgreesService);
  }

  c(i: number): AuthUser {
    const user = this.citizens[i];
    if (!user) throw new Error(`no demo citizen ${i}`);
    return user;
  }

  /**
   * `n` distinct citizens, never the spam account nor `except`, taken round-robin so that
   * different topics and comments draw on different people.
   */
  crowd(n: number, except: AuthUser[] = []): AuthUser[] {
    const pool = this.citizens.slice(0, SPAMMER).filter((u) => !except.some((e) => e.id === u.id));
    if (n > pool.length) throw new Error(`only ${pool.length} citizens for a crowd of ${n}`);
    const start = this.offset % pool.length;
    this.offset += 17;
    return Array.from({ length: n }, (_, i) => pool[(start + i) % pool.length]!);
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────

  async accounts(): Promise<void> {
    const users = this.db.getRepository(User);
    const outcome = await this.app
      .get(AdminAccounts)
      .ensureAdmin(DEMO_EMAILS.admin, DEMO_PASSWORDS.admin);
    if (outcome !== 'created') {
      this.notes.push(`${DEMO_EMAILS.admin} already existed and keeps its own password.`);
    }
    const admin = await users.findOneByOrFail({ email: DEMO_EMAILS.admin });
    this.admin = { id: admin.id, role: admin.role, displayName: admin.displayName };

    this.budgetFacilitator = await this.register(
      DEMO_EMAILS.budgetFacilitator,
      DEMO_PASSWORDS.facilitator,
      '한지혜 (시민참여예산 진행자)',
    );
    this.villageFacilitator = await this.register(
      DEMO_EMAILS.villageFacilitator,
      DEMO_PASSWORDS.facilitator,
      '박선영 (성북 마을공동체 진행자)',
    );

    // Sixty sign-ups would spend most of the run hashing one password sixty times: it is
    // hashed once (argon2id, with its salt) and the accounts are inserted with that hash.
    const passwordHash = await this.app.get(PasswordHasher).hash(DEMO_PASSWORDS.citizen);
    const emails = CITIZEN_NAMES.map((_, i) => DEMO_EMAILS.citizen(i + 1));
    await users
      .createQueryBuilder()
      .insert()
      .into(User)
      .values(
        CITIZEN_NAMES.map((displayName, i) => ({
          email: emails[i]!,
          passwordHash,
          displayName,
        })),
      )
      .orIgnore()
      .execute();
    const rows = await users.findBy({ email: In(emails) });
    const byEmail = new Map(rows.map((u) => [u.email, u]));
    this.citizens = emails.map((email) => {
      const user = byEmail.get(email);
      if (!user) throw new Error(`demo citizen ${email} is missing`);
      return { id: user.id, role: user.role, displayName: user.displayName };
    });
  }

  private async register(email: string, password: string, displayName: string): Promise<AuthUser> {
    const users = this.db.getRepository(User);
    const existing = await users.findOneBy({ email });
    if (existing) {
      this.notes.push(`${email} already existed and keeps its own password.`);
      return { id: existing.id, role: existing.role, displayName: existing.displayName };
    }
    const { user } = await this.app
      .get(AuthService)
      .register(dto(RegisterDto, { email, password, displayName }));
    return { id: user.id, role: 'citizen', displayName };
  }

  // ── building blocks ─────────────────────────────────────────────────────────────────

  async space(plain: Record<string, unknown>, facilitator: AuthUser): Promise<string> {
    const space = await this.spaces.create(this.admin, dto(CreateSpaceDto, plain));
    await this.spaces.grantFacilitator(this.admin, space.id, facilitator.id);
    return space.id;
  }

  async topic(
    author: AuthUser,
    spaceId: string,
    title: string,
    body: string,
    tags: string[],
  ): Promise<string> {
    const topic = await this.topics.create(
      author,
      spaceId,
      dto(CreateTopicDto, { title, body, tags }),
    );
    return topic.id;
  }

  /** `count` citizens agree with the topic, one service call each (the ladder climbs on its own). */
  async agree(topicId: string, count: number, except: AuthUser[] = []): Promise<void> {
    for (const user of this.crowd(count, except)) {
      await this.agrees.setTopicAgree(user, topicId, true);
    }
  }

  async say(topicId: string, thread: Say[], parentId?: string): Promise<void> {
    for (const item of thread) {
      const comment = await this.comments.create(
        item.by,
        topicId,
        dto(CreateCommentDto, { body: item.text, parentId, stance: item.stance }),
      );
      if (item.key) this.keys.set(item.key, comment.id);
      if (item.stance) {
        await this.stanceService.setStance(
          item.by,
          topicId,
          dto(StanceDto, { stance: item.stance }),
        );
      }
      for (const user of this.crowd(item.agrees ?? 0, [item.by])) {
        await this.agrees.setCommentAgree(user, comment.id, true);
      }
      if (item.replies) await this.say(topicId, item.replies, comment.id);
    }
  }

  /** Citizens who take a stance without writing (the public stance counts). */
  async stances(topicId: string, counts: Record<Stance, number>): Promise<void> {
    const total = counts.for + counts.against + counts.neutral;
    const people = this.crowd(total);
    const stances: Stance[] = [
      ...Array<Stance>(counts.for).fill('for'),
      ...Array<Stance>(counts.against).fill('against'),
      ...Array<Stance>(counts.neutral).fill('neutral'),
    ];
    for (const [i, user] of people.entries()) {
      await this.stanceService.setStance(user, topicId, dto(StanceDto, { stance: stances[i] }));
    }
  }

  async move(
    facilitator: AuthUser,
    topicId: string,
    to: 'deliberating' | 'closed' | 'rejected',
    reason?: string,
  ): Promise<void> {
    await this.transitions.transition(facilitator, topicId, dto(TransitionDto, { to, reason }));
  }

  async respond(facilitator: AuthUser, topicId: string, role: string, body: string): Promise<void> {
    await this.responses.respond(facilitator, topicId, dto(ResponseDto, { role, body }));
  }

  /**
   * A proposal whose window has passed: its deadline is moved into the past (the one direct
   * write of the seed) and the deadline scheduler expires it as it would on any node.
   */
  async expire(topicId: string): Promise<void> {
    await this.db.query(
      `UPDATE topics SET proposal_expires_at = now() - interval '1 minute' WHERE id = $1`,
      [topicId],
    );
    await this.app.get(DeadlineScheduler).runOnce();
    const rows: { status: string }[] = await this.db.query(
      `SELECT status FROM topics WHERE id = $1`,
      [topicId],
    );
    if (rows[0]?.status !== 'expired') throw new Error('the demo proposal did not expire');
  }

  key(name: string): string {
    const id = this.keys.get(name);
    if (!id) throw new Error(`no demo comment "${name}"`);
    return id;
  }
}
