import { SeqOrder } from './seq-order';

describe('SeqOrder', () => {
  const sent: string[] = [];
  const send = (label: string) => () => void sent.push(label);
  beforeEach(() => {
    sent.length = 0;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('sends events that arrive in order at once', () => {
    const order = new SeqOrder();
    order.arrived('room', 1, send('1'));
    order.arrived('room', 2, send('2'));
    expect(sent).toEqual(['1', '2']);
  });

  it('holds an event that overtook an earlier one until that one arrives', () => {
    const order = new SeqOrder();
    order.arrived('room', 4, send('4'));
    order.arrived('room', 6, send('6'));
    order.arrived('room', 7, send('7'));
    expect(sent).toEqual(['4']);
    order.arrived('room', 5, send('5'));
    expect(sent).toEqual(['4', '5', '6', '7']);
  });

  it("moves past another node's events without sending them", () => {
    const order = new SeqOrder();
    order.arrived('room', 1, send('1'));
    order.arrived('room', 3, send('3'));
    order.arrived('room', 2, null);
    expect(sent).toEqual(['1', '3']);
  });

  it('gives up waiting for a lost event and sends the rest in order', () => {
    const order = new SeqOrder(100);
    order.arrived('room', 1, send('1'));
    order.arrived('room', 4, send('4'));
    order.arrived('room', 3, send('3'));
    jest.advanceTimersByTime(99);
    expect(sent).toEqual(['1']);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['1', '3', '4']);
    // The lost one turning up late is still sent; clients drop it if they caught up.
    order.arrived('room', 2, send('2'));
    order.arrived('room', 5, send('5'));
    expect(sent).toEqual(['1', '3', '4', '2', '5']);
  });

  it('keeps streams apart', () => {
    const order = new SeqOrder();
    order.arrived('a', 1, send('a1'));
    order.arrived('b', 7, send('b7'));
    order.arrived('a', 3, send('a3'));
    order.arrived('b', 8, send('b8'));
    expect(sent).toEqual(['a1', 'b7', 'b8']);
    order.forget('a');
    expect(sent).toEqual(['a1', 'b7', 'b8', 'a3']);
  });
});
