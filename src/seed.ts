import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { createApp } from './app.factory';
import { CreateCommentDto } from './comments/dto/comment.dto';
import { type AppConfig, ConfigError, loadConfig } from './core/config/env';
import { EmbeddedDatabaseInUse } from './core/database/embedded-postgres';
import { ProcessDatabase } from './core/database/process-database';
import { createLogger } from './core/logging/logger';
import { type AuthUser } from './identity/auth/auth-user';
import { AuthService } from './identity/auth/auth.service';
import { PasswordHasher } from './identity/auth/password-hasher';
import { RegisterDto } from './identity/dto/auth.dto';
import { User } from './identity/users/user.entity';
import { AdminAccounts } from './identity/users/admin-accounts';
import { BansService } from './moderation/bans.service';
import { CommentModerationService } from './moderation/comment-moderation.service';
import { BanDto, CreateReportDto } from './moderation/dto/moderation.dto';
import { ReportsService } from './moderation/reports.service';
import { AgreesService } from './reactions/agrees.service';
import { CreateSpaceDto } from './spaces/dto/space.dto';
import { Space } from './spaces/space.entity';
import { SpacesService } from './spaces/spaces.service';
import { DeadlineScheduler } from './topics/deadline-scheduler';
import { CreateTopicDto, ResponseDto, StanceDto, TransitionDto } from './topics/dto/topic.dto';
import { type Stance } from './topics/topic-participation.entity';
import { TOPIC_STATUSES, type TopicStatus } from './topics/topic.entity';
import { TopicsService } from './topics/topics.service';
import { CommentsService } from './comments/comments.service';

/**
 * Demo data for Madang (`npm run seed`): three spaces modelled on Seoul's 시민참여예산,
 * 성북구 마을공동체 and 협치 공론장, accounts of every role, and topics at every status with
 * real threads. Everything in the domain goes through the same services the API calls, so
 * every count, ladder crossing, timeline entry and audit row is what the product itself
 * would have written. Running it again once the demo exists changes nothing.
 */

export const DEMO_SLUGS = {
  budget: 'seoul-participatory-budget',
  village: 'seongbuk-village',
  pilot: 'seoul-governance-pilot',
} as const;

export const DEMO_PASSWORDS = {
  admin: 'madang-admin-demo',
  facilitator: 'madang-facilitator-demo',
  citizen: 'madang-citizen-demo',
} as const;

export const DEMO_EMAILS = {
  admin: 'admin@madang.demo',
  budgetFacilitator: 'budget.facilitator@madang.demo',
  villageFacilitator: 'village.facilitator@madang.demo',
  citizen: (n: number): string => `citizen${String(n).padStart(2, '0')}@madang.demo`,
} as const;

/** Titles of the topics the demo (and its test) points at. */
export const DEMO_TOPICS = {
  /** Pilot space: opened by the ladder (agrees), then the response rung by participants. */
  ladderOpened: '초등학교 통학로를 보행자 우선도로로 지정해 주세요',
  /** Budget space: opened by a facilitator below the threshold (우수제안). */
  facilitatorOpened: '시민참여예산에 기후위기 대응 분야를 따로 만들어 주세요',
  /** Budget space: expired after its proposal window. */
  expired: '한강공원에 야간 버스킹 전용 무대를 만들어 주세요',
  /** Village space: the thread with moderation (reports, a hidden comment, a ban). */
  moderated: '마을사회적경제센터 2층 청소년 휴카페를 주민에게 더 열어 주세요',
} as const;

/** The citizens' display names; the last one is the spam account banned in the village space. */
// prettier-ignore
const CITIZEN_NAMES = [
  '김민준', '이서연', '박지호', '최수아', '정하준', '강지민', '조예린', '윤도현', '장서윤', '임재원',
  '한지우', '오승민', '서하은', '신동혁', '권나연', '황민서', '안태윤', '송유진', '류건우', '홍채원',
  '전소율', '고은비', '문성호', '양지아', '손현우', '배다인', '백승우', '허윤아', '유정훈', '남궁현',
  '심보영', '노재희', '하준영', '곽미정', '성우진', '차은서', '주영길', '우민지', '구자혁', '민소연',
  '진하람', '나윤석', '지은호', '엄태희', '채수빈', '원대한', '천혜린', '방주원', '공예나', '현승철',
  '함지수', '변도윤', '염민아', '여상훈', '추서진', '도하늘', '소윤재', '석진아', '선우람', '분양정보나눔',
];

const CITIZENS = CITIZEN_NAMES.length;
/** Index of the spam account among the citizens. */
const SPAMMER = CITIZENS - 1;

export interface DemoSummary {
  /** False when the demo already existed: nothing was written. */
  created: boolean;
  spaces: { slug: string; name: string; ladder: string; reportsToHide: number }[];
  accounts: { role: string; email: string; password: string; note: string }[];
  topicsByStatus: Record<TopicStatus, number>;
  notes: string[];
}

/** Builds a DTO and validates it with the API's own rules, so demo data is data a client could send. */
function dto<T extends object>(cls: ClassConstructor<T>, plain: Record<string, unknown>): T {
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
interface Say {
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

class DemoBuilder {
  private readonly db: DataSource;
  private readonly spaces: SpacesService;
  private readonly topics: TopicsService;
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
        await this.topics.setStance(item.by, topicId, dto(StanceDto, { stance: item.stance }));
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
      await this.topics.setStance(user, topicId, dto(StanceDto, { stance: stances[i] }));
    }
  }

  async move(
    facilitator: AuthUser,
    topicId: string,
    to: 'deliberating' | 'closed' | 'rejected',
    reason?: string,
  ): Promise<void> {
    await this.topics.transition(facilitator, topicId, dto(TransitionDto, { to, reason }));
  }

  async respond(facilitator: AuthUser, topicId: string, role: string, body: string): Promise<void> {
    await this.topics.respond(facilitator, topicId, dto(ResponseDto, { role, body }));
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

// ── the demo itself ───────────────────────────────────────────────────────────────────

async function buildBudgetSpace(d: DemoBuilder): Promise<void> {
  const f = d.budgetFacilitator;
  const c = (i: number): AuthUser => d.c(i);
  const space = await d.space(
    {
      slug: DEMO_SLUGS.budget,
      name: '서울시 시민참여예산',
      description:
        '민주주의 서울의 시민참여예산 공론장입니다. 시민이 제안한 사업에 공감이 50개 모이면 담당 부서가 답하고, ' +
        '100개가 모이면 공론장이 열리며, 공론장 참여자가 1,000명을 넘으면 시장이 직접 답합니다.',
      embedOrigins: ['https://yesan.seoul.go.kr', 'https://democracy.seoul.go.kr'],
    },
    f,
  );

  // proposed: a few agrees
  const wifi = await d.topic(
    c(4),
    space,
    '버스정류장과 골목 쉼터의 공공 와이파이 사각지대를 없애 주세요',
    '퇴근길 마을버스 정류장이나 골목 쉼터에서는 공공 와이파이가 잡히지 않는 곳이 아직 많습니다.\n' +
      '데이터 요금이 부담스러운 어르신과 청소년은 정류장에서 버스 도착 정보를 확인하기도 어렵습니다.\n\n' +
      '제안: 주민이 와이파이 사각지대를 직접 표시하는 지도를 만들고, 표시가 많은 정류장과 쉼터부터 ' +
      '시민참여예산으로 공유기를 설치해 주세요.',
    ['공공 와이파이', '디지털 격차'],
  );
  await d.agree(wifi, 8, [c(4)]);
  await d.say(wifi, [
    {
      by: c(5),
      text: '저희 동네 마을버스 종점도 안 잡혀요. 사각지대를 주민이 지도에 표시하는 방식 좋습니다.',
      agrees: 3,
      replies: [
        {
          by: c(9),
          text: '구청마다 설치 요청 창구가 따로 있다고 들었는데, 한곳으로 모이면 좋겠네요.',
          agrees: 1,
        },
      ],
    },
    {
      by: c(14),
      text: '공유기 설치비보다 유지관리비가 더 든다는 얘기도 있어요. 운영비까지 제안에 넣으면 심사에서 설득력이 있을 것 같습니다.',
      agrees: 2,
    },
  ]);

  const yellowCarpet = await d.topic(
    c(2),
    space,
    '학교 앞 어린이보호구역에 옐로카펫과 바닥 신호등을 설치해 주세요',
    '초등학교 앞 횡단보도에서 아이들이 차도 가까이 서서 신호를 기다립니다.\n' +
      '옐로카펫(횡단보도 앞 노란 대기 공간)은 운전자 눈에 잘 띄고, 아이들이 안전한 곳에서 기다리게 해 줍니다.\n' +
      '휴대전화를 보며 걷는 아이들을 위해 LED 바닥 신호등도 함께 설치해 주세요.',
    ['어린이 안전', '교통'],
  );
  await d.agree(yellowCarpet, 27, [c(2)]);
  await d.say(yellowCarpet, [
    {
      by: c(12),
      text: '아이 등굣길에 매일 지나가는 횡단보도인데 정말 필요합니다. 겨울 아침엔 어두워서 더 위험해요.',
      agrees: 6,
      replies: [
        {
          by: c(2),
          text: '맞아요. 그래서 야간에도 보이는 발광형 옐로카펫을 제안에 넣었습니다.',
          agrees: 3,
          replies: [
            {
              by: c(33),
              text: '발광형은 전기 공사가 필요해서 비용이 커진다고 하던데, 학교 몇 곳부터 시범으로 해 보면 어떨까요?',
              agrees: 2,
            },
          ],
        },
      ],
    },
  ]);

  // under_review: the first rung crossed by agrees (the department owes an answer)
  const budgetSchool = await d.topic(
    c(6),
    space,
    '청소년 예산학교를 자치구마다 열어 주세요',
    '청소년 예산학교는 시청 근처에서만 열려서 멀리 사는 학생들은 참여하기 어렵습니다.\n' +
      '2019년 청소년 예산학교 예산은 3천만 원이었는데 집행률이 절반이 안 됐습니다. 수요가 없어서가 아니라 ' +
      '가까운 곳에서 열리지 않아서라고 생각합니다.\n\n' +
      '제안: 자치구 청소년수련관과 함께 방학마다 구별 예산학교를 열고, 수료한 학생들이 ' +
      '시민참여예산 제안서를 직접 써 보는 과정까지 이어 주세요.',
    ['예산학교', '청소년', '민주시민교육'],
  );
  await d.agree(budgetSchool, 54, [c(6)]);
  await d.say(budgetSchool, [
    {
      by: c(21),
      text: '고등학생 자녀가 작년에 신청했다가 거리 때문에 포기했어요. 구별로 열리면 꼭 보내고 싶습니다.',
      agrees: 5,
      replies: [
        {
          by: c(6),
          text: '그런 경우가 많더라고요. 온라인 과정도 같이 있으면 좋겠다는 의견도 받았습니다.',
          agrees: 2,
          replies: [
            {
              by: c(40),
              text: '온라인은 수료율이 낮아서, 첫 회와 마지막 회는 꼭 대면으로 하면 좋겠어요.',
              agrees: 3,
            },
          ],
        },
      ],
    },
    {
      by: c(18),
      text: '예산학교 수료생이 실제로 제안한 사업이 선정된 사례가 있는지도 알려 주시면 좋겠습니다.',
      agrees: 4,
    },
  ]);

  // answered: past the first rung, then an official response from the department
  const sharedSpace = await d.topic(
    c(10),
    space,
    '동 주민센터 공유공간을 저녁과 주말에도 주민자치회가 운영하게 해 주세요',
    '동 주민센터 회의실과 다목적실은 평일 낮에만 열려서, 직장인 주민은 마을 모임을 할 곳이 없습니다.\n' +
      '서울형 주민자치회가 있는 동부터 저녁과 주말에도 공유공간을 열고, 예약과 관리는 주민자치회가 맡게 해 주세요.\n' +
      '관리 인력 인건비는 동단위 계획형 시민참여예산으로 충당할 수 있을 것입니다.',
    ['주민자치', '공유공간', '마을공동체'],
  );
  await d.agree(sharedSpace, 51, [c(10)]);
  await d.say(sharedSpace, [
    {
      by: c(23),
      text: '저녁에 아파트 동대표 회의를 할 곳이 없어서 카페를 전전했어요. 꼭 필요합니다.',
      agrees: 7,
      replies: [
        {
          by: c(41),
          text: '야간 개방 때 안전 관리와 청소 책임을 누가 지는지 먼저 정해야 할 것 같아요.',
          agrees: 4,
          replies: [
            {
              by: c(10),
              text: '주민자치회 안에 공간 운영 분과를 두고, 이용 단체가 돌아가며 정리하는 방식을 생각하고 있습니다.',
              agrees: 3,
            },
          ],
        },
      ],
    },
  ]);
  await d.respond(
    f,
    sharedSpace,
    '서울시 주민자치과',
    '제안해 주시고 공감해 주신 시민 여러분께 감사드립니다.\n\n' +
      '서울형 주민자치회가 구성된 동 가운데 희망하는 10개 동에서 내년 상반기부터 평일 저녁(21시까지)과 ' +
      '토요일에 공유공간을 시범 개방하겠습니다. 예약과 운영은 주민자치회가 맡고, 관리 인력은 ' +
      '동단위 계획형 시민참여예산으로 지원합니다.\n\n' +
      '댓글에서 나온 안전 관리와 청소 책임 문제는 동별 운영 규칙에 반영하고, 시범 운영 결과는 이 공론장에 다시 공유하겠습니다.',
  );

  // deliberating, opened by the facilitator below the threshold (우수제안)
  const climate = await d.topic(
    c(0),
    space,
    DEMO_TOPICS.facilitatorOpened,
    '시민참여예산 사업 가운데 기후와 관련된 사업이 해마다 조금씩 있지만, 분야가 따로 없어서 ' +
      '다른 생활밀착형 사업과 경쟁하다 밀리곤 합니다.\n\n' +
      '제안: 시민참여예산에 "기후위기 대응" 분야를 두고 일정한 몫을 배정해 주세요. ' +
      '폭염 대비 그늘막과 무더위 쉼터, 빗물 저금통, 옥상 텃밭처럼 동네에서 시작할 수 있는 사업이 꾸준히 선정될 수 있도록요.',
    ['기후', '시민참여예산', '환경'],
  );
  await d.agree(climate, 34, [c(0)]);
  await d.move(
    f,
    climate,
    'deliberating',
    '민관예산협의회가 우수제안으로 추천했습니다. 공감은 100개에 못 미치지만 ' +
      '시민숙의예산 시범 분야(환경)와 이어지는 의제라 공론장을 엽니다.',
  );
  await d.say(climate, [
    {
      by: c(0),
      stance: 'for',
      text: '분야가 따로 없으니 기후 사업은 늘 "좋지만 급하지 않은 사업"으로 분류됩니다. 정해진 몫이 있어야 꾸준히 할 수 있다고 봅니다.',
      agrees: 9,
      replies: [
        {
          by: c(8),
          stance: 'against',
          text: '취지는 공감하지만 분야를 쪼갤수록 시민이 고를 수 있는 폭이 줄어듭니다. 기후 사업에 가점을 주는 방식은 어떨까요?',
          agrees: 5,
          replies: [
            {
              by: c(0),
              text: '가점은 심사 단계마다 적용 기준이 달라질 수 있어서, 최소한의 별도 몫(예: 전체의 10%)과 가점을 함께 쓰면 어떨까 합니다.',
              agrees: 4,
              replies: [
                {
                  by: c(21),
                  stance: 'neutral',
                  text: '10%라는 숫자의 근거가 궁금합니다. 최근 몇 년간 기후 관련 제안이 몇 건이었고 몇 건이 선정됐는지 먼저 공개해 주시면 논의가 쉬워질 것 같아요.',
                  agrees: 6,
                },
                {
                  by: f,
                  text: '진행자입니다. 담당 부서에 최근 3년간 환경 분야 제안 건수와 선정 결과를 요청했습니다. 자료를 받는 대로 이 공론장에 올리겠습니다.',
                  agrees: 8,
                },
              ],
            },
          ],
        },
        {
          by: c(11),
          stance: 'for',
          text: '동네 단위로는 옥상 텃밭이나 빗물 저금통 같은 작은 기후 사업 제안이 많아요. 별도 분야가 생기면 이런 제안이 살아날 것 같습니다.',
          agrees: 4,
        },
      ],
    },
    {
      by: c(16),
      stance: 'against',
      text: '기후 대응은 시 본예산에서 책임질 일이라고 생각합니다. 시민참여예산은 시민이 아니면 발견하기 어려운 생활 문제에 쓰였으면 합니다.',
      agrees: 7,
      replies: [
        {
          by: c(3),
          stance: 'for',
          text: '생활 문제와 기후 문제가 따로 있지는 않은 것 같아요. 폭염 때 골목 그늘막, 무더위 쉼터 같은 것이 다 기후 대응이니까요.',
          agrees: 8,
          replies: [
            {
              by: c(16),
              stance: 'neutral',
              text: '그 말씀은 맞네요. 다만 "기후"로 묶으면 큰 사업 위주가 될까 걱정입니다. 사업 규모에 상한을 둔다면 다시 생각해 보겠습니다.',
              agrees: 5,
            },
          ],
        },
      ],
    },
    {
      by: c(27),
      stance: 'neutral',
      text: '공감 수가 모자란데도 공론장이 열린 이유가 타임라인에 남아 있어서 좋네요. 결과도 이렇게 공개되면 좋겠습니다.',
      agrees: 2,
    },
  ]);
  await d.stances(climate, { for: 9, against: 4, neutral: 3 });

  // closed: a deliberation that has ended, awaiting its answer
  const expo = await d.topic(
    c(13),
    space,
    '정책박람회를 서울광장 한 곳이 아니라 자치구를 돌며 열어 주세요',
    '함께서울 정책박람회는 이틀 동안 서울광장에서만 열려서, 평일에 도심까지 오기 어려운 주민은 참여하기 힘듭니다.\n' +
      '시민참여예산 전자투표 때처럼 자치구를 한 주씩 돌며 작은 정책 공론장을 열고, 마지막 날 서울광장에서 결과를 모아 주세요.',
    ['정책박람회', '협치', '공론장'],
  );
  await d.agree(expo, 38, [c(13)]);
  await d.move(
    f,
    expo,
    'deliberating',
    '서울민주주의위원회가 2019 정책박람회 평가와 함께 논의하자고 요청해 공론장을 엽니다.',
  );
  await d.say(expo, [
    {
      by: c(24),
      stance: 'for',
      text: '지난해 투표소가 자치구를 순회할 때 동네에서 처음 참여예산을 알게 된 이웃이 많았어요. 박람회도 그렇게 하면 좋겠습니다.',
      agrees: 6,
      replies: [
        {
          by: c(35),
          stance: 'against',
          text: '순회하면 행사마다 규모가 작아져서 시장이나 실국장이 직접 듣는 자리가 줄어들 것 같아요.',
          agrees: 3,
          replies: [
            {
              by: c(24),
              text: '그래서 마지막 날은 서울광장에서 모으자는 제안이었어요. 구별 공론장 결과를 시장이 직접 듣는 자리로요.',
              agrees: 4,
            },
          ],
        },
      ],
    },
    {
      by: c(44),
      stance: 'neutral',
      text: '예산이 순회 운영에 얼마나 더 드는지 비교 자료가 있으면 판단하기 쉬울 것 같습니다.',
      agrees: 3,
    },
  ]);
  await d.stances(expo, { for: 7, against: 3, neutral: 2 });
  await d.move(
    f,
    expo,
    'closed',
    '숙의 기간을 마쳤습니다. 토론 결과를 정리해 서울민주주의담당관에 전달하고, 답변이 오면 이곳에 공개합니다.',
  );

  // rejected, with the reason shown to everyone
  const billboard = await d.topic(
    c(30),
    space,
    '시청 앞 대형 전광판 광고 수익으로 시민참여예산을 늘려 주세요',
    '서울광장 주변 건물에 대형 전광판을 설치하고 광고 수익을 시민참여예산 재원으로 쓰면, ' +
      '세금을 더 걷지 않고도 참여예산 규모를 키울 수 있습니다.',
    ['재원'],
  );
  await d.agree(billboard, 12, [c(30)]);
  await d.say(billboard, [
    {
      by: c(31),
      text: '서울광장 주변은 경관 관리 때문에 대형 광고물이 제한되지 않나요?',
      agrees: 3,
      replies: [
        {
          by: c(30),
          text: '그 부분은 잘 몰랐네요. 다른 재원 아이디어도 같이 찾아보겠습니다.',
          agrees: 1,
        },
      ],
    },
  ]);
  await d.move(
    f,
    billboard,
    'rejected',
    '시민참여예산은 시민이 제안한 사업에 예산을 편성하는 제도라, 광고 수익 같은 세입 확보 방안은 심사 대상이 아닙니다. ' +
      '서울광장 일대는 경관 관리 지역이기도 합니다. 재원을 늘리자는 의견은 시민숙의예산 종합계획 TF에 전달하겠습니다.',
  );

  // expired: the proposal window passed below the first rung
  const busking = await d.topic(
    c(38),
    space,
    DEMO_TOPICS.expired,
    '한강공원에서 밤에 공연하는 청년 예술인이 많은데, 전기와 조명이 없어 발전기 소음 민원이 생깁니다.\n' +
      '조명과 전원이 있는 작은 야외 무대를 두 곳 정도 만들어 주세요.',
    ['문화', '한강'],
  );
  await d.agree(busking, 4, [c(38)]);
  await d.say(busking, [
    {
      by: c(47),
      text: '주거지와 떨어진 곳이라면 좋겠어요. 공연 시간 제한도 같이 정하면 민원이 줄 것 같습니다.',
      agrees: 1,
    },
  ]);
  await d.expire(busking);
}

async function buildVillageSpace(d: DemoBuilder): Promise<void> {
  const f = d.villageFacilitator;
  const c = (i: number): AuthUser => d.c(i);
  const space = await d.space(
    {
      slug: DEMO_SLUGS.village,
      name: '성북구 마을공동체',
      description:
        '성북구 마을공동체와 마을재생 의제를 주민과 함께 논의하는 공간입니다. 2020년 이전 민주주의 서울의 사다리를 따릅니다: ' +
        '공감 50개면 부서 답변, 500개면 공론장, 공론장 참여자 5,000명이면 구청장 답변. 신고가 2건 모이면 검토 전까지 댓글이 가려집니다.',
      thresholds: { review: 50, deliberation: 500, response: 5000 },
      reportsToHide: 2,
      embedOrigins: ['https://www.sb.go.kr'],
    },
    f,
  );

  // proposed
  const stream = await d.topic(
    c(7),
    space,
    '정릉천 산책로에 분리배출함과 플로깅 거점을 만들어 주세요',
    '정릉천 산책로에는 쓰레기통이 거의 없어서 주말이면 일회용 컵이 물가에 쌓입니다.\n' +
      '분리배출함을 몇 곳에 두고, 주민이 집게와 봉투를 빌려 쓰레기를 주우며 걷는(플로깅) 거점을 만들어 주세요.',
    ['기후', '마을환경'],
  );
  await d.agree(stream, 11, [c(7)]);
  await d.say(stream, [
    {
      by: c(20),
      text: '주말 아침 플로깅 모임을 하고 있는데, 거점이 생기면 참여하는 이웃이 훨씬 늘 것 같아요.',
      agrees: 4,
      replies: [
        {
          by: c(7),
          text: '모임 이름 알려 주시면 제안서에 협력 단체로 넣고 싶어요!',
          agrees: 1,
        },
      ],
    },
  ]);

  // under_review
  const stairs = await d.topic(
    c(15),
    space,
    '성북동 골목 노후 계단에 안전 난간과 야간 조명을 설치해 주세요',
    '성북동 언덕 골목의 오래된 계단은 난간이 없거나 흔들리고, 밤에는 가로등이 닿지 않아 어둡습니다.\n' +
      '어르신들이 겨울철에 미끄러지는 사고가 잦습니다. 골목 재생 사업으로 난간과 발밑 조명을 설치해 주세요.',
    ['골목 재생', '안전', '어르신'],
  );
  await d.agree(stairs, 52, [c(15)]);
  await d.say(stairs, [
    {
      by: c(26),
      text: '어머니가 이 계단에서 작년 겨울 넘어지셨어요. 난간만 있었어도 덜 다치셨을 거예요.',
      agrees: 9,
      replies: [
        {
          by: c(42),
          text: '눈 올 때 모래함도 계단 위아래에 두면 좋겠습니다.',
          agrees: 5,
          replies: [
            {
              by: c(15),
              text: '좋은 의견이에요. 제안 내용에 모래함 설치도 추가해서 부서 답변 때 같이 검토해 달라고 하겠습니다.',
              agrees: 2,
            },
          ],
        },
      ],
    },
  ]);

  // deliberating, opened by the facilitator (below 500), with moderation in the thread
  const cafe = await d.topic(
    c(19),
    space,
    DEMO_TOPICS.moderated,
    '마을사회적경제센터 2층 청소년 휴카페는 주민이 이용할 수 있는 공간인데도 문턱이 높다는 이야기가 많습니다.\n' +
      '센터 업무공간의 독립성은 지키면서, 평일 오후와 주말에는 청소년과 주민이 더 자유롭게 쓸 수 있게 운영 방식을 바꿔 주세요.',
    ['마을공동체', '청소년', '공유공간'],
  );
  await d.agree(cafe, 17, [c(19)]);
  await d.move(
    f,
    cafe,
    'deliberating',
    '성북구의회 상임위원회 현장 방문 때 나온 제안과 같은 내용이라, 민관거버넌스 회의 결정에 따라 공감 수와 관계없이 주민 공론장을 엽니다.',
  );
  await d.say(cafe, [
    {
      by: c(28),
      stance: 'for',
      text: '중학생 아이가 학원 가기 전에 잠깐 쉴 곳이 없어서 편의점 앞에 있어요. 휴카페가 열려 있으면 좋겠습니다.',
      agrees: 8,
      replies: [
        {
          by: c(36),
          stance: 'against',
          text: '센터 직원들이 일하는 층이라 소음 문제가 생길 것 같아요. 개방 시간을 나누는 게 현실적일 듯합니다.',
          agrees: 4,
          replies: [
            {
              by: c(28),
              text: '평일 오후 3시~6시, 토요일만이라도 먼저 해 보면 어떨까요?',
              agrees: 6,
              replies: [
                {
                  by: f,
                  text: '진행자입니다. 시간대를 나눠 시범 운영하자는 의견을 센터와 공유하겠습니다. 다른 시간대 의견도 남겨 주세요.',
                  agrees: 3,
                },
              ],
            },
          ],
        },
      ],
    },
    {
      by: c(45),
      stance: 'for',
      text: '6층 다목적홀도 주민자치회 행사 말고는 비어 있을 때가 많아요. 휴카페와 함께 예약제로 열면 좋겠습니다.',
      agrees: 5,
      key: 'off-topic',
    },
    {
      by: c(SPAMMER),
      text: '성북구 신축 아파트 특별 분양! 선착순 마감 임박, 상담은 프로필의 링크로 연락 주세요.',
      key: 'spam',
    },
    {
      by: c(50),
      text: '지금 휴카페 관리하시는 분 연락처가 010-1234-5678 이에요. 다들 직접 전화해서 열어 달라고 합시다.',
      key: 'personal-data',
    },
  ]);
  await d.stances(cafe, { for: 6, against: 2, neutral: 3 });

  // moderation: two reports hide the spam (this space hides at 2), a facilitator hides a comment
  // that exposes someone's phone number, one report waits in the queue, the spammer is banned
  const reports = d.app.get(ReportsService);
  for (const reporter of [c(3), c(28)]) {
    await reports.report(reporter, d.key('spam'), dto(CreateReportDto, { reason: 'spam' }));
  }
  await reports.report(
    c(36),
    d.key('off-topic'),
    dto(CreateReportDto, { reason: 'off_topic', detail: '휴카페 의제와 다른 공간 이야기입니다.' }),
  );
  await d.app
    .get(CommentModerationService)
    .hide(
      f,
      d.key('personal-data'),
      '다른 사람의 개인 연락처가 들어 있어 숨겼습니다. 연락처를 빼고 다시 써 주세요.',
    );
  await d.app.get(BansService).ban(
    f,
    space,
    c(SPAMMER).id,
    dto(BanDto, {
      reason: '공론장과 관계없는 분양 광고를 반복해서 올렸습니다.',
      until: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    }),
  );

  // answered
  const garden = await d.topic(
    c(32),
    space,
    '마을활력소 옥상에 주민 공동 텃밭을 만들어 주세요',
    '마을활력소 옥상이 비어 있습니다. 주민이 함께 가꾸는 상자 텃밭을 만들면 이웃끼리 만날 일도 생기고, ' +
      '여름철 건물 온도도 낮출 수 있습니다. 운영은 주민 모임이 맡겠습니다.',
    ['마을공동체', '텃밭', '기후'],
  );
  await d.agree(garden, 53, [c(32)]);
  await d.say(garden, [
    {
      by: c(17),
      text: '옥상 방수 상태부터 확인해야 할 것 같아요. 상자 텃밭이면 괜찮다고 들었습니다.',
      agrees: 4,
      replies: [
        {
          by: c(32),
          text: '네, 바닥에 흙을 까는 방식이 아니라 이동식 상자 텃밭으로 제안했습니다.',
          agrees: 3,
        },
      ],
    },
  ]);
  await d.respond(
    f,
    garden,
    '성북구 마을사회적경제과',
    '공감해 주신 주민 여러분께 감사드립니다. 구조 안전 점검 결과 이동식 상자 텃밭은 설치할 수 있다는 의견을 받았습니다.\n' +
      '내년 봄 20개 상자로 시작하고, 운영 주민 모임은 마을공동체 활동 지원 사업으로 공개 모집하겠습니다. ' +
      '방수와 배수 관리는 구가 맡습니다.',
  );

  // rejected
  const contract = await d.topic(
    c(48),
    space,
    '마을센터 위탁 운영을 지금 협동조합에 계속 맡기도록 보장해 주세요',
    '지금 운영하는 협동조합이 마을 사정을 잘 아니, 다음 위탁 때도 계속 맡도록 보장해 주세요.',
    ['마을센터'],
  );
  await d.agree(contract, 6, [c(48)]);
  await d.move(
    f,
    contract,
    'rejected',
    '민간위탁 수탁기관은 공개모집과 적격자 심의를 거쳐 정해야 해서, 특정 단체의 운영을 보장하는 제안은 공론장 의제로 올릴 수 없습니다. ' +
      '센터 운영에 대한 의견은 민관거버넌스 정기회의 안건으로 받겠습니다.',
  );
}

async function buildPilotSpace(d: DemoBuilder): Promise<void> {
  const f = d.budgetFacilitator;
  const c = (i: number): AuthUser => d.c(i);
  const space = await d.space(
    {
      slug: DEMO_SLUGS.pilot,
      name: '서울협치 시범 공론장',
      description:
        '협치 의제를 작은 규모로 시범 운영하는 공간입니다. 공감 10개면 부서 답변, 20개면 공론장, ' +
        '공론장 참여자 30명이면 시장 답변으로, 사다리의 모든 단계를 짧게 볼 수 있습니다.',
      thresholds: { review: 10, deliberation: 20, response: 30, deliberationDays: 14 },
    },
    f,
  );

  // deliberating, opened by the ladder: agree 10 crosses review, agree 20 opens the
  // deliberation, and the 30th participant crosses the response rung (the mayor owes an answer)
  const schoolRoute = await d.topic(
    c(1),
    space,
    DEMO_TOPICS.ladderOpened,
    '초등학교 정문에서 300미터 안의 이면도로는 인도가 없어 아이들이 차와 섞여 걷습니다.\n' +
      '등하교 시간에는 차량 통행을 제한하고, 보행자 우선도로로 지정해 속도를 시속 20킬로미터로 낮춰 주세요.\n' +
      '학부모, 학교, 자치구, 경찰이 함께 통학로 안전 협의체를 만들어 구간을 정하면 좋겠습니다.',
    ['어린이 안전', '보행', '협치'],
  );
  await d.agree(schoolRoute, 22, [c(1)]);
  await d.say(schoolRoute, [
    {
      by: c(1),
      stance: 'for',
      text: '아침 8시 반에 학교 앞 골목은 등교하는 아이들, 출근 차량, 택배 차량이 한꺼번에 몰립니다. 30분만이라도 통행을 막아 주세요.',
      agrees: 10,
      replies: [
        {
          by: c(22),
          stance: 'against',
          text: '골목 안쪽에 사는 주민은 그 시간에 차를 못 빼게 됩니다. 주민 차량은 예외로 해야 하지 않을까요?',
          agrees: 6,
          replies: [
            {
              by: c(37),
              stance: 'neutral',
              text: '다른 구에서는 거주자 차량만 서행 통과하게 하는 방식으로 운영한다고 들었습니다. 협의체에서 구간별로 정하면 될 것 같아요.',
              agrees: 7,
              replies: [
                {
                  by: c(22),
                  stance: 'for',
                  text: '거주자 예외가 있다면 찬성으로 바꾸겠습니다.',
                  agrees: 4,
                },
              ],
            },
          ],
        },
      ],
    },
    {
      by: c(43),
      stance: 'for',
      text: '녹색어머니회 활동을 하는데, 봉사자만으로는 골목마다 지킬 수가 없어요. 제도로 정해 주면 좋겠습니다.',
      agrees: 8,
      replies: [
        {
          by: f,
          text: '진행자입니다. 공감 20개로 공론장이 열렸습니다. 참여자가 30명을 넘으면 시장 답변 대상이 되니 의견을 더 남겨 주세요.',
          agrees: 5,
        },
      ],
    },
    {
      by: c(52),
      stance: 'against',
      text: '택배와 학원 차량도 생계가 걸린 문제라, 시간대만 정하지 말고 대체 정차 구역을 함께 마련해야 합니다.',
      agrees: 3,
    },
  ]);
  await d.stances(schoolRoute, { for: 18, against: 6, neutral: 6 });

  // proposed
  const sharing = await d.topic(
    c(29),
    space,
    '협치 공론장 결과를 시민에게 다시 알려 주는 결과 공유회를 정례화해 주세요',
    '공론장에서 의견을 냈는데 그 뒤에 어떻게 반영됐는지 알기 어렵습니다. 분기마다 결과 공유회를 열어 주세요.',
    ['협치', '공론장'],
  );
  await d.agree(sharing, 3, [c(29)]);
}

/** The demo's topics by status and the spaces' settings, read back from the database. */
async function summarize(
  app: INestApplication,
  created: boolean,
  notes: string[],
): Promise<DemoSummary> {
  const db = app.get(DataSource);
  const slugs = Object.values(DEMO_SLUGS);
  const spaces = await db
    .getRepository(Space)
    .find({ where: { slug: In(slugs) }, order: { createdAt: 'ASC' } });
  const counts: { status: TopicStatus; n: number }[] = await db.query(
    `SELECT t.status, count(*)::int AS n FROM topics t JOIN spaces s ON s.id = t.space_id
      WHERE s.slug = ANY($1) GROUP BY t.status`,
    [slugs],
  );
  const topicsByStatus = Object.fromEntries(TOPIC_STATUSES.map((s) => [s, 0])) as Record<
    TopicStatus,
    number
  >;
  for (const row of counts) topicsByStatus[row.status] = row.n;
  const n = (value: number): string => value.toLocaleString('en-US');
  return {
    created,
    spaces: spaces.map((s) => ({
      slug: s.slug,
      name: s.name,
      ladder: `${n(s.thresholds.review)} / ${n(s.thresholds.deliberation)} / ${n(s.thresholds.response)}`,
      reportsToHide: s.reportsToHide,
    })),
    accounts: [
      {
        role: 'admin',
        email: DEMO_EMAILS.admin,
        password: DEMO_PASSWORDS.admin,
        note: 'every space',
      },
      {
        role: 'facilitator',
        email: DEMO_EMAILS.budgetFacilitator,
        password: DEMO_PASSWORDS.facilitator,
        note: `${DEMO_SLUGS.budget}, ${DEMO_SLUGS.pilot}`,
      },
      {
        role: 'facilitator',
        email: DEMO_EMAILS.villageFacilitator,
        password: DEMO_PASSWORDS.facilitator,
        note: DEMO_SLUGS.village,
      },
      {
        role: 'citizen',
        email: `${DEMO_EMAILS.citizen(1)} … ${DEMO_EMAILS.citizen(CITIZENS)}`,
        password: DEMO_PASSWORDS.citizen,
        note: `${CITIZENS} citizens; ${DEMO_EMAILS.citizen(CITIZENS)} is banned in ${DEMO_SLUGS.village}`,
      },
    ],
    topicsByStatus,
    notes,
  };
}

/**
 * Creates the demo through the application's services, unless it exists already (then
 * nothing is written). `app` must be initialised (migrations applied).
 */
export async function seedDemo(app: INestApplication): Promise<DemoSummary> {
  const db = app.get(DataSource);
  const existing = await db.getRepository(Space).findOneBy({ slug: DEMO_SLUGS.budget });
  if (existing) {
    const finished: unknown[] = await db.query(
      `SELECT 1 FROM topics WHERE space_id = $1 AND title = $2 AND status = 'expired'`,
      [existing.id, DEMO_TOPICS.expired],
    );
    const notes = finished.length
      ? []
      : [
          'The demo looks incomplete (an earlier run stopped part-way); ' +
            'seed a fresh database (e.g. a new EMBEDDED_PG_DIR) to get all of it.',
        ];
    return summarize(app, false, notes);
  }
  const d = new DemoBuilder(app);
  await d.accounts();
  await buildBudgetSpace(d);
  await buildVillageSpace(d);
  await buildPilotSpace(d);
  return summarize(app, true, d.notes);
}

export function formatSummary(summary: DemoSummary): string {
  const lines: string[] = [];
  lines.push(
    summary.created
      ? 'Madang demo data created.'
      : 'The Madang demo data exists already; nothing was changed.',
  );
  lines.push('', 'Spaces (ladder: answer / deliberation / top official):');
  for (const s of summary.spaces) {
    lines.push(
      `  ${s.slug.padEnd(28)} ${s.name}  — ladder ${s.ladder}, ${s.reportsToHide} reports hide a comment`,
    );
  }
  lines.push('', 'Sign in (POST /api/v1/auth/login):');
  for (const a of summary.accounts) {
    lines.push(`  ${a.role.padEnd(12)} ${a.email}  password: ${a.password}  (${a.note})`);
  }
  lines.push('', 'Topics by status:');
  lines.push(`  ${TOPIC_STATUSES.map((s) => `${s} ${summary.topicsByStatus[s]}`).join(', ')}`);
  for (const note of summary.notes) lines.push('', `Note: ${note}`);
  return `${lines.join('\n')}\n`;
}

// ── command line: `npm run seed` (node dist/seed.js) ──────────────────────────────────

const EXIT_FAILED = 1;
const EXIT_REFUSED = 2;
const EXIT_CONFIG = 78;

/**
 * Resolves the database as the server does (DATABASE_URL, or the embedded PostgreSQL in
 * EMBEDDED_PG_DIR, started here and stopped at the end), boots the application without
 * listening, seeds, and shuts everything down again.
 */
async function main(): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  if (config.NODE_ENV === 'production') {
    process.stderr.write(
      'seed: refusing to add demo accounts with known passwords in production\n',
    );
    return EXIT_REFUSED;
  }
  // Quiet unless asked: the summary is the output.
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');

  // Interrupted: the app is closed and the embedded PostgreSQL stopped, so the folder is not
  // left locked.
  const database = new ProcessDatabase(config, logger, 'command');
  try {
    config = { ...config, DATABASE_URL: await database.url() };
    // The deadline timer stays off: the seed applies the one deadline it needs itself.
    const app = await createApp({ ...config, SCHEDULER_INTERVAL_SECONDS: 0 }, logger);
    database.closeFirst(() => app.close());
    await app.init();
    const started = Date.now();
    const summary = await seedDemo(app);
    process.stdout.write(formatSummary(summary));
    if (summary.created) {
      process.stdout.write(`\nSeeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      process.stdout.write(
        database.embedded ? ' Start the server with `npm start` to see it.\n' : '\n',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof EmbeddedDatabaseInUse) {
      process.stderr.write(
        `seed: refused: ${error.message}.\n` +
          '  Stop the server, run `npm run seed`, then `npm start` again.\n',
      );
      return EXIT_REFUSED;
    }
    const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    const detail = error instanceof Error ? (verbose ? error.stack : error.message) : String(error);
    process.stderr.write(`seed: failed: ${detail ?? String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await database.release();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
