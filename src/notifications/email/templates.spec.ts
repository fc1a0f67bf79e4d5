import { linkOf, type MailItem, renderMail } from './templates';

const ctx = {
  lang: 'ko' as const,
  name: '김주민',
  origin: 'https://madang.example',
  unsubscribeUrl: 'https://madang.example/unsubscribe?token=t',
};

const budgetId = '11111111-1111-4111-8111-111111111111';
const projectId = '22222222-2222-4222-8222-222222222222';

const item = (type: MailItem['type'], data: Record<string, unknown>): MailItem => ({
  type,
  data,
  topicId: null,
  roomId: null,
  budgetId,
  projectId: type === 'budget.phase' ? null : projectId,
});

describe('email of budget notifications', () => {
  it('names the phase in the reader’s language and links to the budget', () => {
    const phase = item('budget.phase', { title: '우리 동 참여예산', from: 'review', to: 'voting' });
    const ko = renderMail([phase], ctx);
    expect(ko.subject).toContain('「우리 동 참여예산」: 투표 단계가 시작되었습니다.');
    expect(ko.text).toContain(`https://madang.example/budgets/${budgetId}`);
    const en = renderMail([phase], { ...ctx, lang: 'en' });
    expect(en.subject).toContain('“우리 동 참여예산”: the voting phase has begun.');
  });

  it('tells a review’s outcome, with the reason when unfeasible, escaped in the HTML', () => {
    const unfeasible = item('project.reviewed', {
      title: '벽화 <사업>',
      feasible: false,
      excerpt: '사유지 & 공공 부지 아님',
    });
    const mail = renderMail([unfeasible], ctx);
    expect(mail.text).toContain('「벽화 <사업>」 사업은 심사에서 실행할 수 없다고 판단되었습니다');
    expect(mail.text).toContain('사유지 & 공공 부지 아님');
    expect(mail.html).toContain('벽화 &lt;사업&gt;');
    expect(mail.html).toContain('사유지 &amp; 공공 부지 아님');
    expect(mail.html).not.toContain('<사업>');
    const feasible = renderMail(
      [item('project.reviewed', { title: '가로등', feasible: true })],
      ctx,
    );
    expect(feasible.text).toContain('「가로등」 사업이 심사를 통과했습니다.');
    expect(linkOf(unfeasible, ctx.origin)).toBe(`https://madang.example/projects/${projectId}`);
  });

  it('tells whether a project was selected', () => {
    const data = { title: '가로등', budgetTitle: '우리 동 참여예산' };
    expect(renderMail([item('project.selected', { ...data, selected: true })], ctx).text).toContain(
      '「가로등」 사업이 「우리 동 참여예산」에서 선정되었습니다.',
    );
    expect(
      renderMail([item('project.selected', { ...data, selected: false })], ctx).text,
    ).toContain('「가로등」 사업은 「우리 동 참여예산」에서 선정되지 않았습니다.');
  });
});
