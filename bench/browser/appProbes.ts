/**
 * Functions the table benchmark runs inside the real app's page (Playwright serializes them with
 * `toString`), so each must be self-contained: no imports, no module-level values. They use only
 * DOM hooks the UI already exposes for its tests (`data-testid`, `data-index`, ARIA state).
 */

/** `performance.now()` times of one load of the memories view. */
export interface TableLoad {
  /** The result count reads "N memories" and the first row is in the DOM. */
  shown: number;
  /** The task after the frame that painted it. */
  painted: number;
  /** Long tasks (≥ 50 ms) the main thread ran until `shown`, summed. */
  longTaskMs: number;
  longTasks: number;
}

export interface TableLoadWindow {
  __benchTableLoad?: TableLoad;
}

/** Installed before any page script: waits for the table to show all `count` memories. */
export const tableLoadProbe = (count: number) => {
  const target = window as unknown as TableLoadWindow;
  const expected = `${new Intl.NumberFormat().format(count)} memories`;
  const longTasks: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const observer = new MutationObserver(() => {
    const counter = document.querySelector('[data-testid="result-count"]');
    if (counter?.textContent !== expected) return;
    if (!document.querySelector('.memory-table tbody tr[data-index]')) return;
    observer.disconnect();
    const shown = performance.now();
    const longTaskMs = longTasks.reduce((sum, ms) => sum + ms, 0);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        target.__benchTableLoad = {
          shown,
          painted: performance.now(),
          longTaskMs,
          longTasks: longTasks.length,
        };
      };
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
};

export interface ScrollInput {
  frames: number;
  /** Pixels per frame; `null`: the whole table from top to bottom in `frames` steps. */
  pxPerFrame: number | null;
  rowHeight: number;
}

export interface ScrollOutput {
  /** Milliseconds between consecutive animation frames while scrolling. */
  deltas: number[];
  /** Frames whose first visible row was not in the DOM yet (the user would see a gap). */
  blankFrames: number;
  longTasks: number[];
  scrolledPx: number;
  rowsRendered: number;
}

/**
 * Scrolls the table's own scroll container one step per animation frame (as a wheel or a dragged
 * scrollbar does), and records each frame's duration and whether the rows under the header were
 * rendered for the position set in the frame before.
 */
export const scrollProbe = async (input: ScrollInput): Promise<ScrollOutput> => {
  const wrap = document.querySelector<HTMLElement>('[data-testid="memory-table-scroll"]');
  if (!wrap) throw new Error('no memory table');
  const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  wrap.scrollTop = 0;
  await nextFrame();
  await nextFrame();
  const max = wrap.scrollHeight - wrap.clientHeight;
  const step = input.pxPerFrame ?? max / input.frames;
  const deltas: number[] = [];
  const longTasks: number[] = [];
  let blankFrames = 0;
  let rowsRendered = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let last = await nextFrame();
  for (let frame = 1; frame <= input.frames; frame++) {
    wrap.scrollTop = Math.min(max, Math.round(frame * step));
    const now = await nextFrame();
    deltas.push(now - last);
    last = now;
    // The scroll event ran before this frame's callbacks; its rows must be there now.
    const first = Math.floor(wrap.scrollTop / input.rowHeight);
    if (!wrap.querySelector(`tr[data-index="${first}"]`)) blankFrames++;
    rowsRendered += wrap.querySelectorAll('tbody tr[data-index]').length;
  }
  // Long-task entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return {
    deltas,
    blankFrames,
    longTasks,
    scrolledPx: wrap.scrollTop,
    rowsRendered: rowsRendered / input.frames,
  };
};

/** Idle animation frames: the refresh interval this browser runs at, with nothing to do. */
export const idleFramesProbe = async (frames: number): Promise<number[]> => {
  const deltas: number[] = [];
  let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
  for (let i = 0; i < frames; i++) {
    const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    deltas.push(now - last);
    last = now;
  }
  return deltas;
};

/** One user action on a filter control. */
export type FilterAction =
  | { kind: 'click'; selector: string; text?: string }
  | { kind: 'value'; selector: string; value: string };

export interface FilterTiming {
  /** Action → the result count changed in the DOM. */
  dom: number;
  /** Action → the task after the frame that painted the new count. */
  painted: number;
  /** The count after the action. */
  count: string;
}

/**
 * Does `action` as a user's click or input would (a real DOM event React handles) and times it
 * until the result count shows the new answer, and until that frame has been painted.
 */
export const filterProbe = (action: FilterAction): Promise<FilterTiming> =>
  new Promise<FilterTiming>((resolve, reject) => {
    const main = document.getElementById('main');
    const counter = () => document.querySelector('[data-testid="result-count"]')?.textContent;
    const before = counter();
    const candidates = [...document.querySelectorAll<HTMLElement>(action.selector)];
    // A chosen keyword chip may show the keyword as it was normalized: match without case.
    const text = action.kind === 'click' ? action.text?.toLowerCase() : undefined;
    const element =
      text === undefined
        ? candidates[0]
        : candidates.find((candidate) => candidate.firstChild?.textContent?.toLowerCase() === text);
    if (!main || before === undefined || !element) {
      const offered = candidates.map((candidate) => candidate.firstChild?.textContent).join(', ');
      reject(
        new Error(
          `cannot do ${JSON.stringify(action)} at "${before}" (${location.search}); ` +
            `${action.selector}: ${offered}`,
        ),
      );
      return;
    }
    let start = 0;
    const observer = new MutationObserver(() => {
      const now = counter();
      if (now === before || now === undefined) return;
      const dom = performance.now() - start;
      observer.disconnect();
      clearTimeout(timeout);
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () =>
          resolve({ dom, painted: performance.now() - start, count: now });
        channel.port2.postMessage(null);
      });
    });
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    const timeout = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`result count stayed "${before}" after ${JSON.stringify(action)}`));
    }, 20_000);
    start = performance.now();
    if (action.kind === 'click') {
      element.click();
    } else {
      // React tracks the value it last rendered: set it through the prototype's setter, as typing does.
      const prototype = Object.getPrototypeOf(element) as object;
      const setter = Object.getOwnPropertyDescriptor(prototype, 'value')?.set;
      setter?.call(element, action.value);
      element.dispatchEvent(new Event('input', { bubbles: true }));
      element.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
