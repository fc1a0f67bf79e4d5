import { type Page } from 'playwright-core';
import { createRoomWorld, liveRoom, type RoomWorld } from '../factories/rooms';
import { type TestApp, startTestApp } from '../utils/app';
import { launchBrowser, screenshot, signIn, type TestBrowser, watchPage } from '../utils/browser';

const PASSWORD = 'correct horse battery';

/** Live town halls in real browsers: participants see each other, facilitators moderate. */
describe('browser: live rooms', () => {
  let t: TestApp;
  let b: TestBrowser;
  let w: RoomWorld;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    w = await createRoomWorld(t);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  async function openAs(
    user: { email: string },
    path: string,
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await b.context();
    const page = await context.newPage();
    const seen = watchPage(page);
    await signIn(page, t.url, user.email, PASSWORD);
    await page.goto(`${t.url}${path}`);
    await page.locator('[data-room-id]').waitFor();
    return { page, errors: seen.errors };
  }

  it('two participants see each other’s messages, reactions, presence and the speaking queue', async () => {
    const room = await liveRoom(t, w.facilitator, w.topicId);
    const a = await openAs(w.citizen, `/rooms/${room.id}`);
    const c = await openAs(w.neighbour, `/rooms/${room.id}`);
    // Presence counts both (throttled, so it may take a moment).
    await a.page.getByTestId('presence').filter({ hasText: /^2$/ }).waitFor();

    await a.page.getByRole('textbox', { name: '메시지' }).fill('안녕하세요, 성북구 주민입니다');
    await a.page.getByRole('button', { name: '보내기' }).click();
    await c.page.locator('.messages').getByText('안녕하세요, 성북구 주민입니다').waitFor();
    await c.page.getByRole('textbox', { name: '메시지' }).fill('반갑습니다');
    await c.page.keyboard.press('Enter');
    await a.page.locator('.messages').getByText('반갑습니다').waitFor();

    // A reaction from one browser is counted in the other.
    await c.page.getByRole('button', { name: /^👏/ }).click();
    await a.page.locator('.count[data-emoji="👏"]').filter({ hasText: /^1$/ }).waitFor();

    // Raising a hand shows in everybody's queue; the floor shows a countdown.
    await a.page.getByRole('button', { name: /발언 신청/ }).click();
    await c.page.getByTestId('queue').getByText('시민', { exact: true }).waitFor();
    await t.http.get(`/api/v1/rooms/${room.id}`).expect(200);
    const f = await openAs(w.facilitator, `/rooms/${room.id}/console`);
    await f.page.getByRole('button', { name: '다음 발언자' }).click();
    await c.page.getByTestId('speaker').getByText('시민', { exact: true }).waitFor();
    await c.page
      .locator('.countdown')
      .filter({ hasText: /^1[01]\d초 남음$/ })
      .waitFor();

    // Q&A: a question from one is upvoted by the other.
    await a.page.getByPlaceholder('질문하기').fill('예산은 언제 확정되나요?');
    await a.page.getByRole('button', { name: '질문하기' }).click();
    const question = c.page.locator('.question', { hasText: '예산은 언제 확정되나요?' });
    await question.getByRole('button', { name: /추천/ }).click();
    await a.page
      .locator('.question', { hasText: '예산은 언제 확정되나요?' })
      .locator('.count')
      .filter({ hasText: /^1$/ })
      .waitFor();

    await screenshot(a.page, 'room-participant');
    await screenshot(f.page, 'room-console');
    expect([...a.errors, ...c.errors, ...f.errors]).toEqual([]);
  });

  it('a hidden message disappears for citizens and is marked in a second facilitator’s console', async () => {
    const room = await liveRoom(t, w.facilitator, w.topicId);
    const citizen = await openAs(w.citizen, `/rooms/${room.id}`);
    const f1 = await openAs(w.facilitator, `/rooms/${room.id}/console`);
    const f2 = await openAs(w.coFacilitator, `/rooms/${room.id}/console`);

    await citizen.page.getByRole('textbox', { name: '메시지' }).fill('도배 광고 메시지입니다');
    await citizen.page.getByRole('button', { name: '보내기' }).click();
    const inCitizen = citizen.page.locator('.messages li', { hasText: '도배 광고 메시지입니다' });
    await inCitizen.waitFor();
    const inF1 = f1.page.locator('.messages li', { hasText: '도배 광고 메시지입니다' });
    await inF1.getByRole('button', { name: '숨기기' }).click();

    await inCitizen.waitFor({ state: 'detached' });
    const inF2 = f2.page.locator('.messages li', { hasText: '도배 광고 메시지입니다' });
    await inF2.and(f2.page.locator('[data-status="hidden"]')).waitFor();
    await inF2.locator('.hidden-mark').waitFor();
    // The second console also lists who did it, from the shared facilitators' feed.
    await f2.page
      .getByTestId('mod-actions')
      .getByText(/진행자 → 메시지 숨김/)
      .waitFor();
    // The text is gone from the citizen's page altogether, not just styled away.
    expect(await citizen.page.content()).not.toContain('도배 광고 메시지입니다');
    await screenshot(f2.page, 'console-hidden');
    expect([...citizen.errors, ...f1.errors, ...f2.errors]).toEqual([]);
  });

  it('questions awaiting approval reach the citizens once a facilitator approves them in the console', async () => {
    const room = await liveRoom(t, w.facilitator, w.topicId, { approveQuestions: true });
    const citizen = await openAs(w.citizen, `/rooms/${room.id}`);
    const f = await openAs(w.facilitator, `/rooms/${room.id}/console`);
    await citizen.page.getByPlaceholder('질문하기').fill('회의록은 어디서 보나요?');
    await citizen.page.getByRole('button', { name: '질문하기' }).click();
    const pending = f.page.locator('.question[data-status="pending"]', {
      hasText: '회의록은 어디서 보나요?',
    });
    await pending.waitFor();
    // Not shown to participants yet.
    expect(
      await citizen.page.locator('.question', { hasText: '회의록은 어디서 보나요?' }).count(),
    ).toBe(0);
    await pending.getByRole('button', { name: '승인' }).click();
    await citizen.page
      .locator('.question[data-status="visible"]', { hasText: '회의록은 어디서 보나요?' })
      .waitFor();
    // Highlight, then mark answered: both consoles and the room follow.
    const inConsole = f.page.locator('.question', { hasText: '회의록은 어디서 보나요?' });
    await inConsole.getByRole('button', { name: '강조' }).click();
    await citizen.page
      .locator('.question.highlighted', { hasText: '회의록은 어디서 보나요?' })
      .waitFor();
    await inConsole.getByRole('button', { name: '답변함' }).click();
    await citizen.page
      .locator('.question[data-status="answered"]', { hasText: '회의록은 어디서 보나요?' })
      .waitFor();
    expect([...citizen.errors, ...f.errors]).toEqual([]);
  });

  it('a mute from the console reaches the citizen, whose next message is refused with a reason', async () => {
    const room = await liveRoom(t, w.facilitator, w.topicId);
    const muted = await openAs(w.muted, `/rooms/${room.id}`);
    const f = await openAs(w.facilitator, `/rooms/${room.id}/console`);
    await muted.page.getByRole('textbox', { name: '메시지' }).fill('첫 메시지');
    await muted.page.getByRole('button', { name: '보내기' }).click();
    const inConsole = f.page.locator('.messages li', { hasText: '첫 메시지' });
    await inConsole.getByRole('button', { name: '발언 금지' }).click();
    await muted.page.getByText('발언이 제한되었습니다').waitFor();
    await muted.page.getByRole('textbox', { name: '메시지' }).fill('두 번째 메시지');
    await muted.page.getByRole('button', { name: '보내기' }).click();
    await muted.page.locator('.form-error[data-code="muted"]').waitFor();
    await f.page
      .getByTestId('mod-actions')
      .getByText(/→ 발언 제한/)
      .waitFor();
    expect(await f.page.locator('.messages li', { hasText: '두 번째 메시지' }).count()).toBe(0);
    expect([...muted.errors, ...f.errors]).toEqual([]);
  });
});
