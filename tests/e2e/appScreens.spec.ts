import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { importAndExtractExample, resultCount, watchErrors } from './appSupport';

// Every view in both colour schemes, checked for what a person would see go wrong: a view whose own
// styles did not load, content wider than the window, panels stacked instead of side by side, or the
// light palette in dark mode. (No screenshots: Chromium from apt and SwiftShader drift too much
// between machines for pixel comparisons, and pictures nobody compares catch nothing.)

test.use({ viewport: { width: 1440, height: 900 } });

const palettes = {
  light: { bg: 'rgb(247, 247, 249)', surface: 'rgb(255, 255, 255)', fg: 'rgb(20, 22, 28)' },
  dark: { bg: 'rgb(13, 15, 20)', surface: 'rgb(21, 24, 32)', fg: 'rgb(231, 233, 239)' },
} as const;

const style = (locator: Locator, property: string) =>
  locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);

const box = async (locator: Locator) => {
  const found = await locator.boundingBox();
  expect(found, 'element has a box').not.toBeNull();
  return found!;
};

/** Nothing in the page is wider than the window: no sideways scrolling of the page or the view. */
async function expectNoSidewaysOverflow(page: Page) {
  const widths = await page.evaluate(() => {
    const main = document.querySelector('main')!;
    return {
      page: document.documentElement.scrollWidth,
      window: document.documentElement.clientWidth,
      main: main.scrollWidth,
      mainBox: main.clientWidth,
    };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.window);
  expect(widths.main).toBeLessThanOrEqual(widths.mainBox);
}

/** The shell: header on top, sidebar on the left of the view, in the scheme's colours. */
async function expectShell(page: Page, scheme: keyof typeof palettes) {
  const header = await box(page.locator('.app-header'));
  const sidebar = await box(page.getByRole('complementary', { name: 'Conversations' }));
  const main = await box(page.locator('main'));
  expect(header.height).toBe(52);
  expect(sidebar.x).toBeLessThan(main.x);
  expect(main.y).toBeGreaterThanOrEqual(header.y + header.height);
  expect(await style(page.locator('html'), 'background-color')).toBe(palettes[scheme].bg);
  expect(await style(page.locator('body'), 'color')).toBe(palettes[scheme].fg);
  expect(await style(page.locator('.app-header'), 'background-color')).toBe(
    palettes[scheme].surface,
  );
  // The current view's tab is highlighted (the tabs' own styles are loaded).
  expect(await style(page.locator('.view-tab[aria-current="page"]'), 'background-color')).not.toBe(
    'rgba(0, 0, 0, 0)',
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every view is laid out and coloured in ${scheme} mode`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    await page.emulateMedia({ colorScheme: scheme });

    await page.goto('/');
    const empty = page.getByRole('heading', { name: 'No memories yet' });
    await expect(empty).toBeVisible();
    await expectShell(page, scheme);
    // The empty state is a centred column, not text at the left edge.
    expect(await style(page.locator('.empty-state'), 'text-align')).toBe('center');
    await expectNoSidewaysOverflow(page);

    // Runs: cards on the surface colour, a finished run's pill green, its bar filled.
    await importAndExtractExample(page);
    const card = page.getByTestId('run-card').first();
    await expect(card.getByTestId('run-status')).toHaveText('done');
    expect(await style(card, 'background-color')).toBe(palettes[scheme].surface);
    expect(await style(card.getByTestId('run-status'), 'border-radius')).toBe('11px');
    const bar = card.getByRole('progressbar', { name: 'Run progress' });
    await expect(bar).toHaveAttribute('value', '100');
    expect((await box(bar)).height).toBe(8);
    await expectNoSidewaysOverflow(page);

    // Memories: the table fills the width beside the pictures, with a sticky header.
    await page.getByRole('link', { name: /^Memories/ }).click();
    await expect(resultCount(page)).toHaveText('16 memories');
    await expectShell(page, scheme);
    const scroller = page.getByTestId('memory-table-scroll');
    expect(await style(scroller, 'overflow-y')).toBe('auto');
    expect(await style(page.locator('.memory-table thead'), 'position')).toBe('sticky');
    const timeline = await box(page.getByRole('group', { name: /^Timeline/ }));
    const byType = await box(page.getByRole('button', { name: /^Fact: / }));
    expect(byType.x).toBeGreaterThan(timeline.x + timeline.width); // side by side at this width
    const row = page.getByRole('row').filter({ hasText: 'Bella Vita' }).first();
    expect((await box(row)).height).toBe(40);
    await expectNoSidewaysOverflow(page);

    // The detail panel opens to the right of the table, not below it.
    await row.click();
    const panel = page.getByTestId('detail-panel');
    await expect(panel.getByTestId('source-message')).toBeVisible();
    expect((await box(panel)).x).toBeGreaterThan((await box(scroller)).x + 300);
    expect(await style(panel, 'position')).toBe('sticky');
    expect(await style(panel.getByTestId('source-message'), 'background-color')).not.toBe(
      'rgba(0, 0, 0, 0)',
    );
    await expectNoSidewaysOverflow(page);

    // Import: the paste box and the file picker side by side.
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('button', { name: 'Try the example conversation' }).click();
    await expect(page.getByRole('region', { name: /Preview of/ })).toBeVisible();
    expect(await style(page.locator('.import-grid'), 'display')).toBe('grid');
    const paste = await box(page.locator('.paste-box'));
    const picker = await box(page.locator('.file-picker'));
    expect(picker.x).toBeGreaterThan(paste.x + paste.width);
    await expectNoSidewaysOverflow(page);

    // Model: its panels are padded cards, one under the other with a gap.
    await page.getByRole('link', { name: 'Model', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Model' })).toBeVisible();
    const panels = page.locator('.model-panel');
    expect(await panels.count()).toBeGreaterThan(1);
    expect(await style(panels.first(), 'padding-top')).toBe('16px');
    expect(await style(panels.first(), 'background-color')).toBe(palettes[scheme].surface);
    const first = await box(panels.nth(0));
    const second = await box(panels.nth(1));
    expect(second.y).toBeGreaterThanOrEqual(first.y + first.height + 16);
    await expectShell(page, scheme);
    await expectNoSidewaysOverflow(page);

    expect(errors).toEqual([]);
  });
}
