import { readHiddenReason } from '../../protocol/hidden-reason';
import { type Translate } from './i18n';

/**
 * Why a comment was hidden, in the page's language: the system's codes (and the English it
 * stored before them) by their words here, a facilitator's own reason as they wrote it.
 */
export function hiddenReasonText(stored: string, t: Translate): string {
  const read = readHiddenReason(stored);
  if ('text' in read) return read.text;
  if (read.code === 'reports_pending') return t('hr_reportsPending');
  return t('hr_reviewed', { reason: t(`bo_reason_${read.report}`) });
}
