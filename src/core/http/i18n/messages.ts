import { type Lang } from './lang';

/**
 * Every sentence the server writes for people, in Korean and English, by a stable key. A
 * refusal carries its key and parameters (never a finished sentence), so the same refusal
 * reads right in either language; the code beside it never changes. `{name}` is a parameter;
 * `{name|을}` adds the Korean particle that fits the word (을/를, 이/가, 은/는, 과/와, 으로/로).
 */
export const MESSAGES = {
  // One per error code: the fallback when a refusal has no sentence of its own.
  'code.validation_failed': { en: 'The request is not valid.', ko: '요청 내용을 확인해 주세요.' },
  'code.malformed_json': {
    en: 'The request body is not valid JSON.',
    ko: '요청 본문이 올바른 JSON이 아닙니다.',
  },
  'code.payload_too_large': {
    en: 'The request body is too large.',
    ko: '보낸 내용이 너무 큽니다.',
  },
  'code.unsupported_media_type': {
    en: 'This content type is not supported.',
    ko: '지원하지 않는 형식입니다.',
  },
  'code.unauthorized': { en: 'Sign in to do this.', ko: '로그인이 필요합니다.' },
  'code.invalid_credentials': {
    en: 'Email or password is incorrect.',
    ko: '이메일 또는 비밀번호가 맞지 않습니다.',
  },
  'code.token_expired': {
    en: 'The access token has expired; sign in again.',
    ko: '로그인 시간이 지났습니다. 다시 로그인해 주세요.',
  },
  'code.forbidden': {
    en: 'You are not allowed to do this.',
    ko: '이 작업을 할 권한이 없습니다.',
  },
  'code.not_found': { en: 'Not found.', ko: '찾을 수 없습니다.' },
  'code.conflict': {
    en: 'This cannot be done in the current state.',
    ko: '지금 상태에서는 할 수 없는 작업입니다.',
  },
  'code.email_taken': {
    en: 'An account with this email already exists.',
    ko: '이미 가입된 이메일입니다.',
  },
  'code.slug_taken': { en: 'This slug is taken.', ko: '이미 쓰이는 주소 이름입니다.' },
  'code.rate_limited': {
    en: 'Too many requests; retry in a moment.',
    ko: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
  },
  'code.idempotency_key_reused': {
    en: 'This Idempotency-Key was used with a different request.',
    ko: '이 Idempotency-Key는 다른 요청에 이미 쓰였습니다.',
  },
  'code.idempotency_in_flight': {
    en: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    ko: '같은 요청을 아직 처리하고 있습니다. 잠시 후 다시 시도해 주세요.',
  },
  'code.idempotency_result_lost': {
    en: 'The first request with this Idempotency-Key succeeded, but its response was lost; read the resource instead of retrying.',
    ko: '처음 요청은 처리되었지만 응답을 잃었습니다. 다시 보내지 말고 새로 불러와 주세요.',
  },
  'code.unprocessable': {
    en: 'The request cannot be processed.',
    ko: '요청을 처리할 수 없습니다.',
  },
  'code.service_unavailable': {
    en: 'The server is too busy to answer now; nothing was written. Retry in a moment.',
    ko: '지금은 서버가 바빠 처리하지 못했습니다. 저장된 것은 없으니 잠시 후 다시 시도해 주세요.',
  },
  'code.internal_error': {
    en: 'Something went wrong on our side.',
    ko: '서버에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.',
  },
  'code.illegal_transition': {
    en: 'This change of status is not allowed.',
    ko: '이 상태로는 바꿀 수 없습니다.',
  },
  'code.space_archived': {
    en: 'This space is archived.',
    ko: '보관된 공간입니다.',
  },
  'code.topic_not_open': {
    en: 'This topic no longer takes part.',
    ko: '이 의제는 더 이상 참여를 받지 않습니다.',
  },
  'code.banned': { en: 'You are banned here.', ko: '이곳에서 활동이 제한되었습니다.' },
  'code.already_reported': {
    en: 'You have already reported this comment.',
    ko: '이미 신고한 댓글입니다.',
  },
  'code.room_not_live': {
    en: 'This room is not live.',
    ko: '지금 진행 중인 타운홀이 아닙니다.',
  },
  'code.muted': {
    en: 'You are muted in this room.',
    ko: '이 타운홀에서 발언이 제한되었습니다.',
  },
  'code.chat_locked': {
    en: 'A facilitator has locked the chat.',
    ko: '진행자가 채팅을 잠갔습니다.',
  },
  'code.chat_closed': {
    en: 'Chat is not open in this room.',
    ko: '이 타운홀은 채팅을 열지 않았습니다.',
  },
  'code.slow_mode': {
    en: 'Slow mode is on; write again in a moment.',
    ko: '천천히 보내기가 켜져 있습니다. 잠시 후 다시 보내 주세요.',
  },
  'code.questions_closed': {
    en: 'Questions are closed in this room.',
    ko: '이 타운홀은 질문을 받지 않습니다.',
  },
  'code.room_not_ended': {
    en: 'The minutes are ready once the room has ended.',
    ko: '회의록은 타운홀이 끝난 뒤에 볼 수 있습니다.',
  },

  'code.budget_locked': {
    en: 'Voting has begun: the rule, the classes and the electorate are fixed.',
    ko: '투표가 시작되어 투표 방식, 투표자 구분, 투표 대상자는 바꿀 수 없습니다.',
  },
  'code.budget_phase': {
    en: 'The budget is not in the phase this needs.',
    ko: '지금 예산 단계에서는 할 수 없습니다.',
  },
  'code.ballot_invalid': {
    en: 'The ballot breaks the rules of this budget.',
    ko: '투표 내용이 이 예산의 투표 규칙에 맞지 않습니다.',
  },
  'code.not_eligible': {
    en: 'You are not on the voter roll of this budget.',
    ko: '이 예산의 투표인 명부에 없습니다.',
  },
  'code.already_voted': {
    en: 'This voter has already voted on site.',
    ko: '이미 현장에서 투표했습니다.',
  },
  'code.results_not_public': {
    en: 'The results are public once voting has ended.',
    ko: '결과는 투표가 끝난 뒤에 공개됩니다.',
  },
  'code.code_claimed': {
    en: 'This voting code has already been used.',
    ko: '이미 사용된 투표 코드입니다.',
  },
  'code.already_entered': {
    en: 'These totals were already entered.',
    ko: '이미 입력한 집계입니다.',
  },

  // HTTP plumbing.
  not_found: { en: '{what} not found', ko: '{what|을} 찾을 수 없습니다.' },
  route_not_found: {
    en: 'Cannot {method} {path}',
    ko: '{path} 주소를 찾을 수 없습니다.',
  },
  body_unreadable: {
    en: 'The request body could not be read.',
    ko: '요청 본문을 읽을 수 없습니다.',
  },
  validation: { en: 'Invalid input: {fields}', ko: '입력한 내용을 확인해 주세요 — {fields}' },
  rate_limited: {
    en: 'Too many requests; retry in {seconds} s.',
    ko: '요청이 너무 많습니다. {seconds}초 뒤에 다시 시도해 주세요.',
  },
  metrics_token: {
    en: 'A valid X-Metrics-Token header is required.',
    ko: '올바른 X-Metrics-Token 헤더가 필요합니다.',
  },
  body_type: {
    en: 'The request body must be {types}.',
    ko: '요청 본문은 {types} 형식이어야 합니다.',
  },
  db_unavailable: {
    en: 'The service cannot reach its database right now. Retry in a moment.',
    ko: '지금은 데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  },
  idempotency_taken_over: {
    en: 'A retry with this Idempotency-Key took over this request; its result is the one that counts.',
    ko: '같은 Idempotency-Key로 다시 보낸 요청이 이 요청을 이어받았습니다. 그 요청의 결과가 유효합니다.',
  },

  // Identity.
  'auth.bearer_format': {
    en: 'The Authorization header must be "Bearer <token>".',
    ko: 'Authorization 헤더는 "Bearer <토큰>" 형식이어야 합니다.',
  },
  'auth.token_revoked': {
    en: 'The access token is no longer valid; sign in again.',
    ko: '로그인이 끝났습니다. 다시 로그인해 주세요.',
  },
  'auth.token_invalid': {
    en: 'The access token is not valid.',
    ko: '로그인 정보가 올바르지 않습니다. 다시 로그인해 주세요.',
  },
  'auth.wrong_password': {
    en: 'The current password is incorrect.',
    ko: '현재 비밀번호가 맞지 않습니다.',
  },
  'auth.sign_in_to_chat': { en: 'Sign in to chat.', ko: '로그인하면 채팅할 수 있습니다.' },
  'auth.sign_in_to_agree': { en: 'Sign in to agree.', ko: '로그인하면 공감할 수 있습니다.' },
  'auth.sign_in_to_react': { en: 'Sign in to react.', ko: '로그인하면 반응할 수 있습니다.' },
  'users.roles_admin_only': {
    en: 'Only an administrator can change roles.',
    ko: '관리자만 역할을 바꿀 수 있습니다.',
  },
  'users.last_admin': {
    en: 'The last administrator cannot be demoted.',
    ko: '마지막 관리자의 역할은 바꿀 수 없습니다.',
  },
  'access.facilitator_only': {
    en: 'Only a facilitator of this space can do this.',
    ko: '이 공간의 진행자만 할 수 있습니다.',
  },
  'access.admin_only': {
    en: 'Only an administrator can do this.',
    ko: '관리자만 할 수 있습니다.',
  },

  // Spaces.
  'spaces.slug_taken': {
    en: 'The slug "{slug}" is taken.',
    ko: '"{slug}" 주소 이름은 이미 쓰이고 있습니다.',
  },

  'spaces.archived': {
    en: 'This space is archived and takes no new topics or rooms.',
    ko: '보관된 공간이라 새 의제나 타운홀을 만들 수 없습니다.',
  },

  // Participatory budgets.
  'budgets.illegal_transition': {
    en: 'A budget cannot move from {from} to {to}.',
    ko: '예산 과정을 {from}에서 {to} 단계로 바꿀 수 없습니다.',
  },
  'budgets.phase_needed': {
    en: 'This can be done only in the {phase} phase (the budget is in {current}).',
    ko: '{phase} 단계에서만 할 수 있습니다(지금은 {current} 단계입니다).',
  },
  'budgets.phase_before': {
    en: 'This can be done only before the {phase} phase (the budget is in {current}).',
    ko: '{phase} 단계 전에만 할 수 있습니다(지금은 {current} 단계입니다).',
  },
  'budgets.locked': {
    en: 'Voting has begun: {fields} can no longer change.',
    ko: '투표가 시작되어 더 이상 바꿀 수 없습니다: {fields}',
  },
  'budgets.ballot_invalid': {
    en: 'The ballot breaks {count} rule(s) of this budget.',
    ko: '투표 내용이 이 예산의 투표 규칙 {count}개에 맞지 않습니다.',
  },
  'budgets.not_eligible': {
    en: 'You are not on the voter roll of this budget; claim your voting code first.',
    ko: '이 예산의 투표인 명부에 없습니다. 먼저 받은 투표 코드를 등록해 주세요.',
  },
  'budgets.already_voted_onsite': {
    en: 'This voter has already voted on site and cannot vote online.',
    ko: '현장에서 이미 투표해 온라인으로는 투표할 수 없습니다.',
  },
  'budgets.already_voted': {
    en: 'The roll line {ref} has already voted.',
    ko: '명부 {ref}번은 이미 투표했습니다.',
  },
  'budgets.results_not_public': {
    en: 'The results are public from the results phase (the budget is in {current}).',
    ko: '결과는 결과 발표 단계부터 공개됩니다(지금은 {current} 단계입니다).',
  },
  'budgets.code_claimed': {
    en: 'This voting code has already been claimed.',
    ko: '이미 등록된 투표 코드입니다.',
  },
  'budgets.already_claimed_line': {
    en: 'You have already claimed a line of this roll.',
    ko: '이 명부에 이미 등록한 투표 코드가 있습니다.',
  },
  'budgets.paper_entered': {
    en: 'The totals of {station} for this heading were already entered.',
    ko: '{station}의 이 사업 단위 집계는 이미 입력했습니다.',
  },
  'budgets.paper_ranked': {
    en: 'Paper totals are counts per project; a ranked vote cannot be entered as totals.',
    ko: '종이 투표 집계는 사업별 표 수라서 순위 투표에는 입력할 수 없습니다.',
  },
  'budgets.counts_over_ballots': {
    en: 'A project cannot have more votes than the station had ballots.',
    ko: '사업별 표 수가 투표소의 투표지 수보다 많을 수 없습니다.',
  },
  'budgets.onsite_roll_only': {
    en: 'On-site ballots are recorded for lines of a voter roll; this budget has none.',
    ko: '현장 투표는 투표인 명부가 있는 예산에서만 기록할 수 있습니다.',
  },
  'budgets.roll_only': {
    en: 'This budget has an open electorate: it has no voter roll.',
    ko: '이 예산은 누구나 투표할 수 있어 투표인 명부가 없습니다.',
  },

  // Topics.
  'topics.illegal_transition': {
    en: 'A topic cannot move from {from} to {to}.',
    ko: '의제를 {from}에서 {to} 상태로 바꿀 수 없습니다.',
  },
  'topics.not_open_status': {
    en: 'This topic is {status} and no longer takes part.',
    ko: '이 의제는 {status} 상태라 더 이상 참여를 받지 않습니다.',
  },
  'topics.edit_forbidden': {
    en: 'Only the author or a facilitator can edit this topic.',
    ko: '작성자나 진행자만 의제를 고칠 수 있습니다.',
  },
  'topics.edit_proposal_only': {
    en: 'A topic can be edited by its author only while it is a proposal.',
    ko: '작성자는 제안 단계에서만 의제를 고칠 수 있습니다.',
  },
  'topics.cannot_answer': {
    en: 'A {status} topic cannot be answered.',
    ko: '{status} 상태의 의제에는 공식 답변을 달 수 없습니다.',
  },
  'topics.stance_deliberation_only': {
    en: 'Stances can be taken only during the deliberation.',
    ko: '입장은 공론이 진행되는 동안에만 밝힐 수 있습니다.',
  },

  // Comments and agrees.
  'comments.edit_forbidden': {
    en: 'Only the author can edit a comment.',
    ko: '작성자만 댓글을 고칠 수 있습니다.',
  },
  'comments.delete_forbidden': {
    en: 'Only the author can delete a comment.',
    ko: '작성자만 댓글을 지울 수 있습니다.',
  },
  'comments.edit_status': {
    en: 'A {status} comment cannot be edited.',
    ko: '{status} 상태의 댓글은 고칠 수 없습니다.',
  },
  'agrees.comment_status': {
    en: 'A {status} comment cannot be agreed with.',
    ko: '{status} 상태의 댓글에는 공감할 수 없습니다.',
  },

  // Moderation.
  'moderation.hide_not_visible': {
    en: 'The comment is {status}; only a visible comment can be hidden.',
    ko: '이 댓글은 {status} 상태입니다. 보이는 댓글만 숨길 수 있습니다.',
  },
  'moderation.restore_not_hidden': {
    en: 'The comment is {status}; only a hidden comment can be restored.',
    ko: '이 댓글은 {status} 상태입니다. 숨긴 댓글만 되살릴 수 있습니다.',
  },
  'moderation.pin_not_visible': {
    en: 'The comment is {status}; only a visible comment can be pinned.',
    ko: '이 메시지는 {status} 상태입니다. 보이는 메시지만 고정할 수 있습니다.',
  },
  'bans.self': { en: 'You cannot ban yourself.', ko: '자기 자신은 차단할 수 없습니다.' },
  'bans.staff': {
    en: 'A facilitator or administrator of this space cannot be banned; revoke the role first.',
    ko: '이 공간의 진행자나 관리자는 차단할 수 없습니다. 먼저 역할을 거두어 주세요.',
  },
  'bans.space_until': {
    en: 'You are banned from this space until {until}.',
    ko: '{until}까지 이 공간에서 활동이 제한되었습니다.',
  },
  'bans.space': {
    en: 'You are banned from this space.',
    ko: '이 공간에서 활동이 제한되었습니다.',
  },
  'reports.deleted': {
    en: 'A deleted comment cannot be reported.',
    ko: '삭제된 댓글은 신고할 수 없습니다.',
  },
  'reports.own': {
    en: 'You cannot report your own comment.',
    ko: '자신이 쓴 댓글은 신고할 수 없습니다.',
  },
  'reports.resolved': {
    en: 'This report has already been resolved.',
    ko: '이미 처리된 신고입니다.',
  },

  // Rooms.
  'rooms.ended': { en: 'This room has ended.', ko: '이 타운홀은 끝났습니다.' },
  'rooms.status': { en: 'This room is {status}.', ko: '이 타운홀은 {status} 상태입니다.' },
  'rooms.illegal_transition': {
    en: 'A {status} room cannot become {to}.',
    ko: '{status} 상태의 타운홀은 {to} 상태로 바꿀 수 없습니다.',
  },
  'rooms.removed': {
    en: 'You were removed from this room.',
    ko: '이 타운홀에서 내보내졌습니다.',
  },
  'rooms.muted_until': {
    en: 'You are muted in this room until {until}.',
    ko: '{until}까지 이 타운홀에서 발언이 제한되었습니다.',
  },
  'rooms.slow_mode': {
    en: 'Slow mode is on: one message every {seconds} s; write again in {wait} s.',
    ko: '천천히 보내기가 켜져 있습니다({seconds}초에 한 번). {wait}초 뒤에 다시 보내 주세요.',
  },
  'rooms.not_muted': {
    en: 'This person is not muted in this room.',
    ko: '이 타운홀에서 발언이 제한된 사람이 아닙니다.',
  },
  'rooms.not_banned': {
    en: 'This person was not removed from this room.',
    ko: '이 타운홀에서 내보낸 사람이 아닙니다.',
  },
  'rooms.nothing_pinned': {
    en: 'No message is pinned in this room.',
    ko: '이 타운홀에 고정된 메시지가 없습니다.',
  },
  'rooms.sanction_self': {
    en: 'You cannot {kind} yourself.',
    ko: '자기 자신에게는 {kind|을} 할 수 없습니다.',
  },
  'rooms.sanction_staff': {
    en: 'A facilitator or an administrator cannot be {kind}d.',
    ko: '진행자나 관리자에게는 {kind|을} 할 수 없습니다.',
  },
  'qa.own_question': {
    en: 'You cannot upvote your own question.',
    ko: '자신의 질문은 추천할 수 없습니다.',
  },
  'qa.no_votes': {
    en: 'A {status} question takes no votes.',
    ko: '{status} 상태의 질문은 추천할 수 없습니다.',
  },
  'qa.votes_closed': {
    en: 'This question no longer takes votes.',
    ko: '이 질문은 더 이상 추천을 받지 않습니다.',
  },
  'qa.cannot_approve': {
    en: 'A {status} question cannot be approved.',
    ko: '{status} 상태의 질문은 승인할 수 없습니다.',
  },
  'qa.approve_first': {
    en: 'Approve the question before marking it answered.',
    ko: '답변함으로 표시하기 전에 질문을 먼저 승인해 주세요.',
  },
  'qa.cannot_answer': {
    en: 'A {status} question cannot be marked answered.',
    ko: '{status} 상태의 질문은 답변함으로 표시할 수 없습니다.',
  },
  'qa.cannot_dismiss': {
    en: 'An {status} question cannot be dismissed.',
    ko: '{status} 상태의 질문은 제외할 수 없습니다.',
  },
  'qa.cannot_highlight': {
    en: 'A {status} question cannot be highlighted.',
    ko: '{status} 상태의 질문은 강조할 수 없습니다.',
  },
  'embed.forbidden': {
    en: 'This page may not embed this discussion.',
    ko: '이 페이지에는 이 토론을 넣을 수 없습니다.',
  },

  // What the ladder and the scheduler write on a topic's timeline.
  'timeline.threshold': {
    en: '{rung} threshold reached ({count})',
    ko: '{rung} 기준 도달({count})',
  },
  'timeline.proposal_window': {
    en: 'the proposal window ended below the first threshold',
    ko: '제안 기간 안에 첫 기준에 이르지 못했습니다',
  },
  'timeline.closing_time': {
    en: 'the deliberation reached its closing time',
    ko: '공론 기간이 끝났습니다',
  },
  // Notification email (src/notifications/email/templates.ts). `{title}` is a topic's title.
  'email.topic.ladder': {
    en: '“{title}” has reached {count} agreements.',
    ko: '「{title}」에 동의가 {count}명 모였습니다.',
  },
  'email.topic.status.deliberating': {
    en: 'The deliberation on “{title}” has opened.',
    ko: '「{title}」 숙의가 시작되었습니다.',
  },
  'email.topic.status.closed': {
    en: 'The deliberation on “{title}” has closed.',
    ko: '「{title}」 숙의가 마감되었습니다.',
  },
  'email.topic.status.rejected': {
    en: '“{title}” was rejected. Reason: {reason}',
    ko: '「{title}」 제안이 반려되었습니다. 사유: {reason}',
  },
  'email.topic.answered': {
    en: '“{title}” has an official answer: {excerpt}',
    ko: '「{title}」에 공식 답변이 나왔습니다: {excerpt}',
  },
  'email.comment.reply': {
    en: '{by} replied to your comment on “{title}”: {excerpt}',
    ko: '{by} 님이 「{title}」에 쓴 회원님의 댓글에 답글을 달았습니다: {excerpt}',
  },
  'email.comment.hidden': {
    en: 'Your comment on “{title}” was hidden. Reason: {reason}',
    ko: '「{title}」에 쓴 회원님의 댓글이 가려졌습니다. 사유: {reason}',
  },
  'email.room.live': {
    en: '“{roomTitle}” on “{title}” is live now.',
    ko: '「{title}」의 「{roomTitle}」 방이 지금 열렸습니다.',
  },
  'email.budget.phase': {
    en: '“{title}”: the {phase} phase has begun.',
    ko: '「{title}」: {phase} 단계가 시작되었습니다.',
  },
  'email.project.reviewed.feasible': {
    en: 'The project “{title}” passed review.',
    ko: '「{title}」 사업이 심사를 통과했습니다.',
  },
  'email.project.reviewed.unfeasible': {
    en: 'The project “{title}” was found not feasible in review: {excerpt}',
    ko: '「{title}」 사업은 심사에서 실행할 수 없다고 판단되었습니다: {excerpt}',
  },
  'email.project.selected': {
    en: 'The project “{title}” was selected in “{budgetTitle}”.',
    ko: '「{title}」 사업이 「{budgetTitle}」에서 선정되었습니다.',
  },
  'email.project.not_selected': {
    en: 'The project “{title}” was not selected in “{budgetTitle}”.',
    ko: '「{title}」 사업은 「{budgetTitle}」에서 선정되지 않았습니다.',
  },
  'email.answer.due': {
    en: 'The official answer to “{title}” is due soon.',
    ko: '「{title}」 공식 답변 기한이 다가옵니다.',
  },
  'email.answer.overdue': {
    en: 'The official answer to “{title}” is overdue.',
    ko: '「{title}」 공식 답변 기한이 지났습니다.',
  },
  'email.no_reason': { en: 'none given', ko: '밝히지 않음' },
  // A hidden comment's reason when the system wrote it (src/protocol/hidden-reason.ts).
  'hidden.reports_pending': {
    en: 'reported, awaiting review',
    ko: '신고가 모여 검토를 기다리는 중',
  },
  'hidden.reviewed': { en: 'hidden after review ({reason})', ko: '신고를 검토해 숨김({reason})' },
  'report_reason.spam': { en: 'spam', ko: '스팸·광고' },
  'report_reason.abuse': { en: 'abuse', ko: '욕설·괴롭힘' },
  'report_reason.off_topic': { en: 'off topic', ko: '주제와 무관' },
  'report_reason.other': { en: 'other', ko: '기타' },
  'email.subject.digest.daily': {
    en: '[Madang] Today: {count} notifications',
    ko: '[마당] 오늘의 알림 {count}건',
  },
  'email.subject.digest.weekly': {
    en: '[Madang] This week: {count} notifications',
    ko: '[마당] 이번 주 알림 {count}건',
  },
  'email.subject.prefix': { en: '[Madang] {line}', ko: '[마당] {line}' },
  'email.greeting': { en: 'Hello {name},', ko: '{name} 님, 안녕하세요.' },
  'email.digest.intro.daily': {
    en: 'Here is what happened since the last digest:',
    ko: '지난 모음 이후의 알림입니다.',
  },
  'email.digest.intro.weekly': {
    en: 'Here is what happened this week:',
    ko: '이번 주의 알림입니다.',
  },
  'email.open': { en: 'Open', ko: '바로 가기' },
  'email.footer.why': {
    en: 'You get this email because of your notification settings on Madang.',
    ko: '마당의 알림 설정에 따라 보내 드리는 메일입니다.',
  },
  'email.footer.settings': { en: 'Notification settings', ko: '알림 설정' },
  'email.footer.unsubscribe': {
    en: 'Stop notification email',
    ko: '알림 메일 그만 받기',
  },
  'unsubscribe.title': { en: 'Stop notification email', ko: '알림 메일 그만 받기' },
  'unsubscribe.confirm': {
    en: 'Stop receiving notification email from Madang? Your inbox on the site keeps working.',
    ko: '마당의 알림 메일을 더 받지 않으시겠어요? 사이트의 알림함은 그대로 쓸 수 있습니다.',
  },
  'unsubscribe.button': { en: 'Stop email', ko: '메일 그만 받기' },
  'unsubscribe.done': {
    en: 'Done: no more notification email will be sent. You can turn it back on in your notification settings.',
    ko: '알림 메일을 더 보내지 않습니다. 알림 설정에서 언제든 다시 켤 수 있습니다.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** Words that parameters may name, translated rather than pasted. */
export const TERMS = {
  Topic: { en: 'Topic', ko: '의제' },
  Comment: { en: 'Comment', ko: '댓글' },
  Room: { en: 'Room', ko: '타운홀' },
  Space: { en: 'Space', ko: '공간' },
  User: { en: 'User', ko: '사용자' },
  Report: { en: 'Report', ko: '신고' },
  Question: { en: 'Question', ko: '질문' },
  'Space or user': { en: 'Space or user', ko: '공간 또는 사용자' },
  Budget: { en: 'Budget', ko: '예산 과정' },
  Heading: { en: 'Heading', ko: '사업 단위' },
  Project: { en: 'Project', ko: '사업' },
  Voter: { en: 'Voter', ko: '명부의 투표인' },
  Code: { en: 'Voting code', ko: '투표 코드' },
  // Budget phases.
  proposals: { en: 'proposals', ko: '제안 접수' },
  objection: { en: 'objection', ko: '이의신청' },
  voting: { en: 'voting', ko: '투표' },
  results: { en: 'results', ko: '결과' },
  execution: { en: 'execution', ko: '집행' },
  // Statuses of topics, comments, rooms and questions.
  proposed: { en: 'proposed', ko: '제안' },
  under_review: { en: 'under_review', ko: '검토 중' },
  deliberating: { en: 'deliberating', ko: '공론 중' },
  closed: { en: 'closed', ko: '공론 종료' },
  answered: { en: 'answered', ko: '답변 완료' },
  rejected: { en: 'rejected', ko: '반려' },
  expired: { en: 'expired', ko: '기간 만료' },
  visible: { en: 'visible', ko: '공개' },
  hidden: { en: 'hidden', ko: '숨김' },
  deleted: { en: 'deleted', ko: '삭제' },
  scheduled: { en: 'scheduled', ko: '예정' },
  live: { en: 'live', ko: '진행 중' },
  ended: { en: 'ended', ko: '종료' },
  pending: { en: 'pending', ko: '승인 대기' },
  dismissed: { en: 'dismissed', ko: '제외' },
  // Ladder rungs and room sanctions.
  review: { en: 'review', ko: '검토' },
  deliberation: { en: 'deliberation', ko: '공론' },
  response: { en: 'response', ko: '공식 답변' },
  mute: { en: 'mute', ko: '발언 제한' },
  ban: { en: 'ban', ko: '내보내기' },
} as const satisfies Record<string, Record<Lang, string>>;

export type TermKey = keyof typeof TERMS;

/**
 * What a field's value broke, in Korean (the English is class-validator's own sentence,
 * kept as it was). Keyed by the rule; parameters come from the English sentence's numbers.
 */
export const FIELD_RULES_KO = {
  min_length: '{min}자 이상 입력해 주세요',
  max_length: '{max}자까지 입력할 수 있습니다',
  length: '{min}–{max}자로 입력해 주세요',
  string: '글자로 입력해 주세요',
  integer: '정수여야 합니다',
  number: '숫자여야 합니다',
  boolean: '참/거짓 값이어야 합니다',
  min: '{min} 이상이어야 합니다',
  max: '{max} 이하여야 합니다',
  one_of: '다음 중 하나여야 합니다: {values}',
  uuid: 'UUID 형식이어야 합니다',
  email: '올바른 이메일 주소가 아닙니다',
  datetime: 'ISO-8601 날짜와 시각이어야 합니다',
  array: '목록이어야 합니다',
  array_max: '{max}개까지 넣을 수 있습니다',
  array_min: '{min}개 이상 넣어 주세요',
  array_unique: '같은 값을 두 번 넣을 수 없습니다',
  object: '객체여야 합니다',
  required: '꼭 입력해 주세요',
  unknown_field: '알 수 없는 항목입니다',
  control_chars: '제어 문자는 쓸 수 없습니다',
  control_chars_line: '줄바꿈 말고 다른 제어 문자는 쓸 수 없습니다',
  tag: '태그는 1–30자의 글자, 숫자, 띄어쓰기, 하이픈이어야 합니다',
  slug: '3–64자의 영문 소문자, 숫자, 하이픈이어야 합니다',
  origin: '정확한 출처(https://host[:port])여야 합니다',
  url: '올바른 주소가 아닙니다',
  invalid: '값이 올바르지 않습니다',
  // Our own field refusals (Problem.field), with their English too.
  cursor: '올바른 커서가 아닙니다',
  json: '올바른 JSON이어야 합니다',
  too_large: '너무 큽니다',
  idempotency_key: '보이는 ASCII 문자 1–255자여야 합니다',
  payload_object: '객체여야 합니다',
  reason_reject: '반려할 때는 사유가 필요합니다',
  reason_open: '기준에 이르지 않은 의제의 공론을 열 때는 사유가 필요합니다',
  closes_at_open_only: '공론을 열 때만 정할 수 있습니다',
  future: '앞으로의 시각이어야 합니다',
  parent_other_topic: '이 의제의 댓글이 아닙니다',
  parent_deleted: '삭제된 댓글에는 답글을 달 수 없습니다',
  thresholds_order: '검토 기준(thresholds.review) 이상이어야 합니다',
  stream_url: 'YouTube, Vimeo 링크나 HLS(.m3u8)·MP4(.mp4) https 주소여야 합니다',
  too_deep: '32단계보다 깊이 중첩할 수 없습니다',
  prototype_key: '쓸 수 없는 항목 이름입니다',
  body_empty: '이 요청에는 본문을 보내지 않습니다',
  content_type: '{types} 형식이어야 합니다',
  time_zone: 'Asia/Seoul, UTC 같은 IANA 시간대여야 합니다',
  day: 'YYYY-MM-DD 형식의 날짜여야 합니다',
  not_before_from: '시작일(from)보다 앞설 수 없습니다',
  same_password: '지금 비밀번호와 달라야 합니다',
  time_range: '끝(to)이 시작(from)보다 앞설 수 없습니다',
  // Budget ballots, each rule by its name.
  over_cap: '고른 사업의 합계({total}원)가 한도 {cap}원을 넘습니다',
  too_many: '{max}개까지 고를 수 있습니다',
  under_min_spend: '한도의 일정 몫({min}원) 이상을 골라야 합니다(지금 {total}원)',
  not_on_ballot: '이 사업 단위의 투표 대상 사업이 아닙니다',
  duplicate: '같은 것을 두 번 고를 수 없습니다',
  heading_not_allowed: '투표할 수 있는 사업 단위가 아닙니다',
  two_headings_in_group: '한 묶음({group})에서는 사업 단위 하나에만 투표할 수 있습니다',
  ballot_shape: 'headingId와 projectIds, 또는 ballots 가운데 하나만 보내 주세요',
  weights_100: '투표자 구분의 가중치 합이 100이어야 합니다',
  unique_keys: '구분 키가 겹칩니다',
  unknown_class: '이 예산에 없는 투표자 구분입니다',
  unknown_heading: '이 예산의 사업 단위가 아닙니다',
  count: '0 이상의 정수여야 합니다',
  phase_order: '단계 순서대로, 끝이 시작보다 뒤여야 합니다',
  knapsack_only: '예산 한도 방식(knapsack)에서만 쓸 수 있습니다',
  room_other_space: '같은 공간의 타운홀이어야 합니다',
  comment_not_author: '이 공간에서 이 사람이 쓴 댓글이 아닙니다',
} as const;

export type FieldRuleKey = keyof typeof FIELD_RULES_KO;

/** The English of our own field refusals (class-validator writes its own). */
export const FIELD_RULES_EN: Partial<Record<FieldRuleKey, string>> = {
  uuid: 'must be a UUID',
  cursor: 'is not valid',
  json: 'must be valid JSON',
  too_large: 'is too large',
  idempotency_key: 'must be 1–255 visible ASCII characters',
  payload_object: 'must be an object',
  reason_reject: 'is required to reject a topic',
  reason_open: 'is required to open a deliberation below its threshold',
  closes_at_open_only: 'applies only when opening a deliberation',
  future: 'must be in the future',
  parent_other_topic: 'is not a comment of this topic',
  parent_deleted: 'was deleted and takes no replies',
  thresholds_order: 'must be at least thresholds.review',
  stream_url:
    'must be a YouTube or Vimeo link, or an https address of an HLS (.m3u8) or MP4 (.mp4) stream',
  too_deep: 'must not nest deeper than 32 levels',
  prototype_key: 'is not an allowed key',
  body_empty: 'must be empty: this request takes no body',
  not_before_from: 'must not be before from',
  same_password: 'must differ from the current password',
  time_range: 'must not be before from',
  invalid: 'is not valid',
  over_cap: 'the chosen projects cost more than the heading cap',
  too_many: 'too many projects chosen',
  under_min_spend: 'the chosen projects spend less than the minimum share of the cap',
  not_on_ballot: 'is not on the ballot of this heading',
  duplicate: 'is chosen twice',
  heading_not_allowed: 'is not a heading this voter may vote in',
  two_headings_in_group: 'a ballot takes one heading per group',
  ballot_shape: 'send either headingId and projectIds, or ballots',
  weights_100: 'the weights must add up to 100',
  unique_keys: 'class keys must be unique',
  unknown_class: 'is not a voter class of this budget',
  unknown_heading: 'is not a heading of this budget',
  count: 'must be a whole number of 0 or more',
  phase_order: 'phases go in order and each ends after it starts',
  knapsack_only: 'applies to the knapsack rule only',
  room_other_space: 'must be a room of the same space',
  comment_not_author: 'is not a comment by this person in this space',
};

/** Korean names of the fields people fill in, for the sentence that lists what to fix. */
export const FIELD_LABELS_KO: Record<string, string> = {
  title: '제목',
  body: '내용',
  tags: '태그',
  email: '이메일',
  password: '비밀번호',
  currentPassword: '현재 비밀번호',
  newPassword: '새 비밀번호',
  displayName: '이름',
  reason: '사유',
  detail: '자세한 내용',
  stance: '입장',
  parentId: '상위 댓글',
  to: '바꿀 상태',
  closesAt: '마감 시각',
  role: '답변 부서',
  slug: '주소 이름',
  name: '이름',
  description: '설명',
  startsAt: '시작 시각',
  settings: '설정',
  'settings.streamUrl': '중계 주소',
  'settings.slowModeSeconds': '천천히 보내기(초)',
  'settings.speakerSeconds': '발언 시간(초)',
  minutes: '제한 시간(분)',
  seconds: '초',
  limit: '개수',
  cursor: '커서',
  sort: '정렬',
  status: '상태',
  q: '검색어',
  body_json: '본문',
  totalAmount: '총액',
  amount: '금액',
  rule: '투표 방식',
  electorate: '투표 대상자',
  voterClasses: '투표자 구분',
  phases: '단계 일정',
  headingId: '사업 단위',
  projectIds: '고른 사업',
  ballots: '투표',
  summary: '요약',
  category: '분야',
  location: '위치',
  explanation: '검토 의견',
  cost: '검토 금액',
  code: '투표 코드',
  station: '투표소',
  counts: '사업별 표 수',
  classKey: '투표자 구분',
  progress: '진행률',
  date: '날짜',
  ref: '명부 번호',
};
