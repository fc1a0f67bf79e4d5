import { type AuthUser } from '../identity/auth/auth-user';

import { type DemoBuilder } from './demo-builder';
import { DEMO_SLUGS, DEMO_TOPICS } from './demo-constants';

/** The demo's 서울협치 시범 공론장: a small ladder (10 / 20 / 30) that shows every rung, opened by agrees. */
export async function buildPilotSpace(d: DemoBuilder): Promise<void> {
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
