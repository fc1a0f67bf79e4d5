import { renderMail } from './templates';
import {
  HIDE_REPORT_REASONS,
  isReportsPending,
  readHiddenReason,
  REPORTS_PENDING,
  reviewedHideReason,
} from '../../protocol/hidden-reason';

const hidden = (reason: string) => ({
  type: 'comment.hidden' as const,
  data: { title: '마을 도서관', reason },
  topicId: null,
  roomId: null,
});

describe('hidden reasons: codes, the English stored before them, and a person’s words', () => {
  it('reads the codes and the old English sentences alike', () => {
    expect(readHiddenReason(REPORTS_PENDING)).toEqual({ code: 'reports_pending' });
    expect(readHiddenReason('reported: pending review')).toEqual({ code: 'reports_pending' });
    for (const report of HIDE_REPORT_REASONS) {
      expect(readHiddenReason(reviewedHideReason(report))).toEqual({ code: 'reviewed', report });
      expect(readHiddenReason(`hidden after review: ${report.replace('_', ' ')}`)).toEqual({
        code: 'reviewed',
        report,
      });
    }
    // A facilitator's reason stays theirs, even one that begins like a code.
    for (const text of ['욕설이 있어 가립니다', 'code:reviewed_nonsense', 'reported: pending'])
      expect(readHiddenReason(text)).toEqual({ text });
    expect(isReportsPending(REPORTS_PENDING)).toBe(true);
    expect(isReportsPending('reported: pending review')).toBe(true);
    expect(isReportsPending('reported: pending review!')).toBe(false);
    expect(isReportsPending(null)).toBe(false);
  });

  it('the email of a hidden comment says the reason in its language, never the code', () => {
    const ctx = { name: '이시민', origin: 'https://madang.test', unsubscribeUrl: 'https://u' };
    const mail = renderMail([hidden(REPORTS_PENDING)], { ...ctx, lang: 'ko' });
    expect(mail.text).toContain('사유: 신고가 모여 검토를 기다리는 중');
    expect(mail.html).toContain('사유: 신고가 모여 검토를 기다리는 중');
    expect(mail.text).not.toContain('code:');
    const english = renderMail([hidden(reviewedHideReason('other'))], { ...ctx, lang: 'en' });
    // A row written before the codes reads the same.
    const old = renderMail([hidden('hidden after review: spam')], { ...ctx, lang: 'ko' });
    expect(old.text).toContain('사유: 신고를 검토해 숨김(스팸·광고)');
    const own = renderMail([hidden('개인정보가 있어 가립니다')], { ...ctx, lang: 'ko' });
    expect(own.text).toContain('사유: 개인정보가 있어 가립니다');
    expect(english.text).toContain('Reason: hidden after review (other)');
  });
});
