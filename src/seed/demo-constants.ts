/** Names the demo uses, and its test points at. */
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
export const CITIZEN_NAMES = [
  '김민준', '이서연', '박지호', '최수아', '정하준', '강지민', '조예린', '윤도현', '장서윤', '임재원',
  '한지우', '오승민', '서하은', '신동혁', '권나연', '황민서', '안태윤', '송유진', '류건우', '홍채원',
  '전소율', '고은비', '문성호', '양지아', '손현우', '배다인', '백승우', '허윤아', '유정훈', '남궁현',
  '심보영', '노재희', '하준영', '곽미정', '성우진', '차은서', '주영길', '우민지', '구자혁', '민소연',
  '진하람', '나윤석', '지은호', '엄태희', '채수빈', '원대한', '천혜린', '방주원', '공예나', '현승철',
  '함지수', '변도윤', '염민아', '여상훈', '추서진', '도하늘', '소윤재', '석진아', '선우람', '분양정보나눔',
];

export const CITIZENS = CITIZEN_NAMES.length;
/** Index of the spam account among the citizens. */
export const SPAMMER = CITIZENS - 1;
