import { type AuthUser } from '../identity/auth/auth-user';
import { BansService } from '../moderation/bans.service';
import { CommentModerationService } from '../moderation/comment-moderation.service';
import { BanDto, CreateReportDto } from '../moderation/dto/moderation.dto';
import { ReportsService } from '../moderation/reports.service';

import { buildVillageBudget } from './demo-budgets';
import { type DemoBuilder, dto } from './demo-builder';
import { DEMO_SLUGS, DEMO_TOPICS, SPAMMER } from './demo-constants';

/** The demo's 성북구 마을공동체 space: the earlier ladder (50 / 500 / 5,000), reports, a hidden comment and a ban. */
export async function buildVillageSpace(d: DemoBuilder): Promise<void> {
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

  await buildVillageBudget(d, space);
}
