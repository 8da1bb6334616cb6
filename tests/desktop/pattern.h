/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test pattern the desktop tests paint on a session's display and look
 * for in the RDP client's window: a grid of 4 x 2 blocks of saturated
 * colours, none of them black (an empty screen is black), all of them
 * distinct in every channel pair, so a shifted, swapped or missing block
 * shows.  Shared by wtsvc-pattern (paints) and wtsvc-screen-check (reads).
 */
#ifndef WTSVC_TEST_PATTERN_H
#define WTSVC_TEST_PATTERN_H

#define PATTERN_COLS 4
#define PATTERN_ROWS 2
#define PATTERN_BLOCKS (PATTERN_COLS * PATTERN_ROWS)
/* Largest difference per channel still taken as the same colour. */
#define PATTERN_TOLERANCE 40

static const unsigned int pattern_rgb[PATTERN_BLOCKS] = {
	0xff0000, 0x00ff00, 0x0000ff, 0xffff00,
	0xff00ff, 0x00ffff, 0xffffff, 0xff8000,
};

struct pattern_rect {
	int x, y, w, h;
};

/* Block @i of the pattern drawn in the area @a. */
static inline struct pattern_rect pattern_block(struct pattern_rect a, int i)
{
	int col = i % PATTERN_COLS, row = i / PATTERN_COLS;
	int x0 = a.x + col * a.w / PATTERN_COLS;
	int x1 = a.x + (col + 1) * a.w / PATTERN_COLS;
	int y0 = a.y + row * a.h / PATTERN_ROWS;
	int y1 = a.y + (row + 1) * a.h / PATTERN_ROWS;

	return (struct pattern_rect){ x0, y0, x1 - x0, y1 - y0 };
}

/* The inner half of @r, where a check samples (edges may be scaled). */
static inline struct pattern_rect pattern_inner(struct pattern_rect r)
{
	return (struct pattern_rect){ r.x + r.w / 4, r.y + r.h / 4,
				      r.w / 2, r.h / 2 };
}

/* Whether two colours are within tol of each other in every channel. */
static inline int pattern_close(unsigned int a, unsigned int b, int tol)
{
	for (int shift = 0; shift < 24; shift += 8) {
		int ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;

		if (ca - cb > tol || cb - ca > tol)
			return 0;
	}
	return 1;
}

#endif
