import { type AuthUser } from '../identity/auth/auth-user';

import { buildCityBudget } from './demo-budgets';
import { type DemoBuilder } from './demo-builder';
import { DEMO_SLUGS, DEMO_TOPICS } from './demo-constants';

/** The demo's 서울시 시민참여예산 space: Seoul's ladder (50 / 100 / 1,000), every status, a 우수제안. */
export async function buildBudgetSpace(d: DemoBuilder): Promise<void> {
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

  await buildCityBudget(d, space);
}
