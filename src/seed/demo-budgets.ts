import { type AuthUser } from '../identity/auth/auth-user';
import { BudgetQueries } from '../budgets/budget-queries';
import { BudgetsService } from '../budgets/budgets.service';
import {
  BallotDto,
  CreateBudgetDto,
  HeadingDto,
  MilestoneDto,
  OnsiteBallotDto,
  PaperTotalDto,
  ProjectDto,
  ReviewDto,
} from '../budgets/dto/budget.dto';
import { dto, type DemoBuilder } from './demo-builder';

interface DemoProject {
  heading: string;
  title: string;
  summary: string;
  body: string;
  amount: number;
  category: string;
  location: string;
  /** The review: feasible unless it gives a reason to refuse. */
  unfeasible?: string;
  cost?: number;
}

/** Proposes, reviews and returns the projects' ids in order. */
async function projects(
  d: DemoBuilder,
  f: AuthUser,
  budgetId: string,
  headings: Record<string, string>,
  list: DemoProject[],
): Promise<string[]> {
  const budgets = d.app.get(BudgetsService);
  const ids: string[] = [];
  for (const [i, p] of list.entries()) {
    ids.push(
      await budgets.createProject(
        d.c(i % 40),
        budgetId,
        dto(ProjectDto, {
          headingId: headings[p.heading],
          title: p.title,
          summary: p.summary,
          body: p.body,
          amount: p.amount,
          category: p.category,
          location: p.location,
        }),
      ),
    );
  }
  await budgets.movePhase(f, budgetId, 'review');
  for (const [i, p] of list.entries()) {
    await budgets.review(
      f,
      ids[i]!,
      dto(ReviewDto, {
        feasible: !p.unfeasible,
        cost: p.cost,
        explanation:
          p.unfeasible ??
          (p.cost
            ? `현장 확인 결과 사업비를 ${p.cost.toLocaleString('ko-KR')}원으로 조정해 적격으로 판단했습니다.`
            : '적격 심사, 제안자 설명 청취와 현장 확인을 거쳐 적격으로 판단했습니다.'),
      }),
    );
  }
  return ids;
}

async function headings(
  d: DemoBuilder,
  f: AuthUser,
  budgetId: string,
  list: { name: string; amount: number; group?: string; maxChoices?: number }[],
): Promise<Record<string, string>> {
  const budgets = d.app.get(BudgetsService);
  for (const h of list) await budgets.addHeading(f, budgetId, dto(HeadingDto, h));
  const view = await d.app.get(BudgetQueries).budget(budgetId);
  return Object.fromEntries(view.headings.map((h) => [h.name, h.id]));
}

const EOK = 100_000_000;
const MAN = 10_000;

/**
 * 서울시 시민참여예산 (seed 001): a city heading and district headings in one group, the
 * 50/30/10/10 voter classes, a roll with codes, online, on-site and paper votes, drawn and now
 * in execution with milestones.
 */
export async function buildCityBudget(d: DemoBuilder, spaceId: string): Promise<void> {
  const f = d.budgetFacilitator;
  const budgets = d.app.get(BudgetsService);
  const budgetId = await budgets.create(
    f,
    spaceId,
    dto(CreateBudgetDto, {
      title: '2020년 서울시 시민참여예산 (시민제안형)',
      description:
        '시민이 제안하고 민관예산협의회가 심사한 사업을 시민 투표로 정합니다. 투표는 일반 시민 50%, ' +
        '시민참여예산위원 30%, 예산학교 이수자 10%, 제안자 10%의 비중으로 반영합니다. ' +
        '온라인 투표와 자치구 순회 현장 투표, 한마당 총회 현장 투표를 함께 집계합니다.',
      totalAmount: 50 * EOK,
      rule: { kind: 'approval', maxChoices: 3 },
      electorate: 'roll',
      voterClasses: [
        { key: 'citizen', name: '일반 시민', weight: 50 },
        { key: 'committee', name: '시민참여예산위원', weight: 30 },
        { key: 'school', name: '예산학교 이수자', weight: 10 },
        { key: 'proposer', name: '제안자', weight: 10 },
      ],
      phases: [
        {
          phase: 'proposals',
          startsAt: '2019-02-11T00:00:00+09:00',
          endsAt: '2019-03-22T18:00:00+09:00',
        },
        {
          phase: 'review',
          startsAt: '2019-03-25T00:00:00+09:00',
          endsAt: '2019-07-11T18:00:00+09:00',
        },
        {
          phase: 'voting',
          startsAt: '2019-08-05T09:00:00+09:00',
          endsAt: '2019-08-31T16:00:00+09:00',
        },
        { phase: 'results', startsAt: '2019-08-31T16:00:00+09:00' },
        { phase: 'execution', startsAt: '2020-01-01T00:00:00+09:00' },
      ],
    }),
  );
  const h = await headings(d, f, budgetId, [
    { name: '시정참여형 (시 전체)', amount: 35 * EOK },
    { name: '종로구', amount: 5 * EOK, group: '자치구' },
    { name: '성북구', amount: 5 * EOK, group: '자치구' },
    { name: '마포구', amount: 5 * EOK, group: '자치구' },
  ]);
  const city = '시정참여형 (시 전체)';
  const ids = await projects(d, f, budgetId, h, [
    {
      heading: city,
      title: '버스정류장 스마트 쉼터 확대 설치',
      summary: '폭염과 한파에 대비한 냉난방 정류장 쉼터를 자치구마다 늘립니다.',
      body: '교통약자가 많이 이용하는 정류장부터 냉난방 쉼터를 설치하고, 버스 도착 안내와 공공 와이파이를 함께 둡니다.',
      amount: 15 * EOK,
      category: '교통',
      location: '서울 전역',
    },
    {
      heading: city,
      title: '어린이보호구역 옐로카펫과 바닥 신호등 설치',
      summary: '초등학교 앞 횡단보도 200곳에 옐로카펫과 LED 바닥 신호등을 설치합니다.',
      body: '발광형 옐로카펫과 바닥 신호등으로 등하굣길 횡단보도의 안전을 높입니다.',
      amount: 12 * EOK,
      cost: 11 * EOK,
      category: '안전',
      location: '서울 전역 초등학교 200곳',
    },
    {
      heading: city,
      title: '한강공원 야외 공연 무대와 전원 설치',
      summary: '청년 예술인이 발전기 없이 공연할 수 있는 무대 두 곳을 만듭니다.',
      body: '주거지와 떨어진 곳에 조명과 전원이 있는 작은 무대를 두고, 공연 시간 규칙을 함께 정합니다.',
      amount: 10 * EOK,
      category: '문화',
      location: '여의도·뚝섬 한강공원',
    },
    {
      heading: city,
      title: '동네 무더위 쉼터 냉방기 교체',
      summary: '경로당과 주민센터 무더위 쉼터의 낡은 냉방기를 고효율 제품으로 바꿉니다.',
      body: '냉방기가 10년 넘은 쉼터 300곳을 먼저 교체합니다.',
      amount: 8 * EOK,
      category: '기후·환경',
      location: '서울 전역 무더위 쉼터',
    },
    {
      heading: city,
      title: '서울광장 대형 전광판 설치',
      summary: '광고 수익으로 시민참여예산 재원을 늘립니다.',
      body: '서울광장 주변 건물에 대형 전광판을 설치합니다.',
      amount: 20 * EOK,
      category: '재원',
      location: '서울광장',
      unfeasible:
        '서울광장 일대는 경관 관리 지역이라 대형 광고물을 설치할 수 없고, 세입 확보 방안은 시민참여예산 사업 대상이 아닙니다.',
    },
    {
      heading: '종로구',
      title: '창신동 골목 가로등 LED 교체',
      summary: '어두운 봉제 골목의 가로등을 밝은 LED로 바꿉니다.',
      body: '야간 작업을 마치고 귀가하는 주민이 많은 골목부터 교체합니다.',
      amount: 3 * EOK,
      category: '안전',
      location: '종로구 창신동',
    },
    {
      heading: '종로구',
      title: '낙산 성곽길 쉼터와 안내판 정비',
      summary: '성곽길 쉼터 벤치와 다국어 안내판을 정비합니다.',
      body: '관광객과 주민이 함께 쓰는 쉼터를 고칩니다.',
      amount: 2.5 * EOK,
      category: '문화',
      location: '종로구 이화동',
    },
    {
      heading: '성북구',
      title: '정릉천 산책로 야간 조명 설치',
      summary: '정릉천 산책로 1.2km 구간에 보행 조명을 설치합니다.',
      body: '저녁 산책 주민이 많은데 조명이 없어 넘어지는 사고가 잦습니다.',
      amount: 3 * EOK,
      category: '안전',
      location: '성북구 정릉동',
    },
    {
      heading: '성북구',
      title: '마을 공유부엌 조성',
      summary: '1인 가구와 어르신이 함께 밥을 짓는 공유부엌을 만듭니다.',
      body: '주민센터 유휴 공간을 고쳐 공유부엌으로 운영합니다.',
      amount: 2.5 * EOK,
      category: '복지',
      location: '성북구 길음동',
    },
    {
      heading: '마포구',
      title: '경의선숲길 반려견 놀이터 조성',
      summary: '숲길 유휴 부지에 반려견 놀이터를 만듭니다.',
      body: '산책로 갈등을 줄이고 반려인 모임의 자율 관리로 운영합니다.',
      amount: 2 * EOK,
      category: '생활',
      location: '마포구 연남동',
    },
  ]);
  await budgets.movePhase(f, budgetId, 'voting');

  // The roll: 40 lines, each with a district heading and a class; 30 claimed and voted online,
  // 6 voted at booths, and one booth's paper totals.
  const districts = ['종로구', '성북구', '마포구'];
  const classOf = (i: number): string =>
    i < 28 ? 'citizen' : i < 34 ? 'committee' : i < 37 ? 'school' : 'proposer';
  const lines = Array.from({ length: 40 }, (_, i) => ({
    ref: `SEOUL-${String(i + 1).padStart(4, '0')}`,
    heading: districts[i % 3]!,
    cls: classOf(i),
  }));
  const roll = await budgets.importRoll(
    f,
    budgetId,
    ['ref,heading,class', ...lines.map((l) => `${l.ref},${l.heading},${l.cls}`)].join('\n'),
  );
  const codes = new Map(roll.codes.map((c) => [c.ref, c.code]));
  const [bus, yellow, stage, cooling] = ids;
  const districtPicks: Record<string, string[]> = {
    종로구: [ids[5]!, ids[6]!],
    성북구: [ids[7]!, ids[8]!],
    마포구: [ids[9]!],
  };
  const cityPicks = [
    [bus!, yellow!],
    [yellow!, cooling!],
    [bus!, stage!],
    [yellow!],
    [cooling!, stage!, bus!],
  ];
  const ballotOf = (i: number, heading: string): { headingId: string; projectIds: string[] }[] => [
    { headingId: h[city]!, projectIds: cityPicks[i % cityPicks.length]! },
    {
      headingId: h[heading]!,
      projectIds: districtPicks[heading]!.slice(0, 1 + (i % districtPicks[heading]!.length)),
    },
  ];
  for (const [i, line] of lines.entries()) {
    if (i < 30) {
      const voter = d.c(i);
      await budgets.claim(voter, budgetId, codes.get(line.ref)!);
      await budgets.castOnline(
        voter,
        budgetId,
        dto(BallotDto, { ballots: ballotOf(i, line.heading) }),
      );
    } else if (i < 36) {
      await budgets.castOnsite(
        f,
        budgetId,
        dto(OnsiteBallotDto, { ref: line.ref, ballots: ballotOf(i, line.heading) }),
      );
    }
  }
  await budgets.paperTotals(
    f,
    budgetId,
    dto(PaperTotalDto, {
      station: '성북구청 1층 현장투표소',
      headingId: h['성북구'],
      ballots: 12,
      counts: { [ids[7]!]: 5, [ids[8]!]: 9 },
    }),
  );
  await budgets.movePhase(f, budgetId, 'results');
  await budgets.movePhase(f, budgetId, 'execution');
  const selected = (
    await d.app
      .get(BudgetQueries)
      .projects(budgetId, { status: 'selected', sort: 'amount', limit: 100 })
  ).items;
  for (const [i, p] of selected.entries()) {
    await budgets.addMilestone(
      f,
      p.id,
      dto(MilestoneDto, {
        title: '착수 보고',
        body: '사업부서와 제안자가 함께 세부 계획을 확정했습니다.',
        date: '2020-02-14',
        progress: 10,
      }),
    );
    if (i % 2 === 0) {
      await budgets.addMilestone(
        f,
        p.id,
        dto(MilestoneDto, {
          title: '중간 보고',
          body: '설계를 마치고 공사를 시작했습니다.',
          date: '2020-06-30',
          progress: 55,
        }),
      );
    }
  }
}

/**
 * 정릉3동 마을총회 (seed 003): a 3천만원 동 budget whose agendas are put in priority order by a
 * ranked vote, open to every signed-in resident, with the tally live on the assembly's screen.
 * Left in `voting`.
 */
export async function buildVillageBudget(d: DemoBuilder, spaceId: string): Promise<void> {
  const f = d.villageFacilitator;
  const budgets = d.app.get(BudgetsService);
  const budgetId = await budgets.create(
    f,
    spaceId,
    dto(CreateBudgetDto, {
      title: '2018년 정릉3동 마을총회 (동단위 계획형)',
      description:
        '동회의가 자원조사와 의제발굴로 만든 실행계획을 마을총회에서 주민이 우선순위 투표로 정합니다. ' +
        '동 한도 3천만원 안에서 순위가 높은 의제부터 선정합니다. 현장 전자투표와 온라인 투표를 함께 받습니다.',
      totalAmount: 3000 * MAN,
      rule: { kind: 'ranked', maxChoices: 3 },
      electorate: 'open',
      liveTally: true,
      phases: [
        {
          phase: 'proposals',
          startsAt: '2017-04-01T00:00:00+09:00',
          endsAt: '2017-06-30T18:00:00+09:00',
        },
        {
          phase: 'voting',
          startsAt: '2017-07-15T10:00:00+09:00',
          endsAt: '2030-07-15T16:00:00+09:00',
        },
      ],
    }),
  );
  const h = await headings(d, f, budgetId, [{ name: '정릉3동', amount: 3000 * MAN }]);
  const ids = await projects(d, f, budgetId, h, [
    {
      heading: '정릉3동',
      title: '정릉시장 상인과 주민 만남의 날',
      summary: '시장 안 빈 점포에서 매달 주민과 상인이 만나는 장을 엽니다.',
      body: '주민과 상인이 함께 시장 골목 문제를 이야기하고 작은 공연과 장터를 엽니다.',
      amount: 500 * MAN,
      category: '마을경제',
      location: '정릉시장',
    },
    {
      heading: '정릉3동',
      title: '북한산 자락 마을 텃밭 조성',
      summary: '유휴지에 주민 공동 텃밭 40구획을 만듭니다.',
      body: '동회의 환경분과가 운영하고, 수확물은 경로당과 나눕니다.',
      amount: 1200 * MAN,
      category: '환경',
      location: '정릉3동 유휴지',
    },
    {
      heading: '정릉3동',
      title: '어르신 디지털 배움터',
      summary: '스마트폰 사용법을 청소년이 어르신께 알려 드립니다.',
      body: '주 2회 주민센터에서 청소년 자원봉사자와 함께 운영합니다.',
      amount: 800 * MAN,
      category: '교육',
      location: '정릉3동 주민센터',
    },
    {
      heading: '정릉3동',
      title: '골목 안심 귀갓길 조성',
      summary: '어두운 골목에 태양광 조명과 안심 표지를 설치합니다.',
      body: '주민이 직접 조사한 위험 골목 12곳에 설치합니다.',
      amount: 1500 * MAN,
      category: '안전',
      location: '정릉3동 골목 12곳',
    },
    {
      heading: '정릉3동',
      title: '마을 소식지 발간',
      summary: '분기마다 마을 소식지를 만들어 집집마다 나눕니다.',
      body: '동회의 홍보분과와 청년 주민이 함께 만듭니다.',
      amount: 400 * MAN,
      category: '소통',
      location: '정릉3동',
    },
  ]);
  await budgets.movePhase(f, budgetId, 'voting');
  const orders = [
    [ids[3]!, ids[1]!, ids[2]!],
    [ids[1]!, ids[3]!],
    [ids[2]!, ids[0]!, ids[3]!],
    [ids[3]!, ids[2]!],
    [ids[0]!, ids[4]!, ids[1]!],
  ];
  for (let i = 0; i < 18; i++) {
    await budgets.castOnline(
      d.c(10 + i),
      budgetId,
      dto(BallotDto, { headingId: h['정릉3동'], projectIds: orders[i % orders.length] }),
    );
  }
}
