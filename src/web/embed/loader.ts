/**
 * `/embed.js`: put `<script src="https://HOST/embed.js" data-topic="ID" async></script>` (or
 * `data-room`) on a page and a live widget appears in its place. It runs on other people's
 * pages, so it is small, has no dependencies, touches nothing global but one listener, and
 * trusts only messages from the widget's own origin and its own iframes.
 */
(() => {
  const RESIZE = 'madang:resize';
  const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script) return;
  const base = new URL(script.src).origin;
  const frames = new Map<string, HTMLIFrameElement>();
  const w = window as Window & { __madangEmbed?: Map<string, HTMLIFrameElement> };

  const mount = (el: HTMLScriptElement): void => {
    if (el.dataset.madangMounted) return;
    const topic = el.dataset.topic;
    const room = el.dataset.room;
    const id = topic ?? room;
    if (!id || !UUID.test(id)) return;
    el.dataset.madangMounted = '1';
    const frame = `m${Math.random().toString(36).slice(2, 10)}`;
    const iframe = document.createElement('iframe');
    const query = `origin=${encodeURIComponent(window.location.origin)}&frame=${frame}`;
    iframe.src = `${base}/embed/${topic ? 'topics' : 'rooms'}/${id}?${query}`;
    iframe.title = el.dataset.title ?? '마당 토론 Madang discussion';
    iframe.style.cssText = 'width:100%;border:0;display:block;min-height:120px;height:320px';
    iframe.setAttribute('loading', 'lazy');
    // The widget needs scripts, its own origin (for its API calls) and the sign-in popup.
    iframe.setAttribute(
      'sandbox',
      'allow-scripts allow-same-origin allow-popups allow-forms allow-popups-to-escape-sandbox',
    );
    el.insertAdjacentElement('afterend', iframe);
    frames.set(frame, iframe);
  };

  // One listener for every widget on the page, even if the script is included twice.
  const registry = w.__madangEmbed ?? frames;
  if (!w.__madangEmbed) {
    w.__madangEmbed = frames;
    window.addEventListener('message', (event: MessageEvent) => {
      if (event.origin !== base) return;
      const data = event.data as { type?: unknown; frame?: unknown; height?: unknown } | null;
      if (!data || data.type !== RESIZE || typeof data.frame !== 'string') return;
      const iframe = registry.get(data.frame);
      if (!iframe || event.source !== iframe.contentWindow) return;
      if (typeof data.height !== 'number' || !Number.isFinite(data.height)) return;
      iframe.style.height = `${Math.min(Math.max(Math.round(data.height), 80), 4000)}px`;
    });
  }
  const targets = document.querySelectorAll<HTMLScriptElement>(
    `script[src^="${base}/embed.js"][data-topic], script[src^="${base}/embed.js"][data-room]`,
  );
  targets.forEach((el) => mount(el));
  if (registry !== frames) frames.forEach((iframe, key) => registry.set(key, iframe));
})();
