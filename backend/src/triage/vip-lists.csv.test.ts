import { AppError } from '../http/errors';
import { parseVipCsv } from './vip-lists.csv';

const csv = (text: string) => Buffer.from(text, 'utf8');

const thrown = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an error');
};

describe('parseVipCsv', () => {
  it('reads columns in any order, a BOM, CRLF, quoted commas and quoted line breaks, with physical line numbers', () => {
    const parsed = parseVipCsv(
      csv('\uFEFFnote,Handle,platform\r\n"VIP, since 2020",@Alice,X\r\n\r\n"two\r\nlines",bob,instagram\r\nlast one,carol,facebook\r\n'),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { line: 2, entry: { platform: 'x', handle: 'Alice', note: 'VIP, since 2020' } },
      { line: 4, entry: { platform: 'instagram', handle: 'bob', note: 'two\r\nlines' } },
      { line: 6, entry: { platform: 'facebook', handle: 'carol', note: 'last one' } },
    ]);
  });

  it('reports bad lines by line number and field, and keeps reading after them', () => {
    const parsed = parseVipCsv(
      csv(
        [
          'platform,handle,external_id,display_name',
          'x,alice,,Alice',
          'myspace,bob,,',
          'x,,,No one',
          'x,carol,,Carol,extra',
          'x,"dave\nstill dave",,',
          'x,"erin"junk,,',
          'x,frank,,Frank',
          'facebook,,1234,Grace',
          '',
        ].join('\n'),
      ),
    );
    expect(parsed.rows.map((row) => [row.line, row.entry.handle ?? row.entry.externalId])).toEqual([
      [2, 'alice'],
      [9, 'frank'],
      [10, '1234'],
    ]);
    expect(parsed.errors).toEqual([
      { line: 3, field: 'platform', message: expect.stringContaining('"myspace" is not a platform') as string },
      { line: 4, field: 'handle', message: 'give a handle or an external_id' },
      { line: 5, field: null, message: expect.stringContaining('5 fields where the header names 4 columns') as string },
      { line: 6, field: 'handle', message: expect.stringContaining('without spaces') as string },
      { line: 8, field: null, message: expect.stringContaining('text follows the closing quote') as string },
    ]);
  });

  it('reports a quote left open on its line, and reads the lines after it', () => {
    const parsed = parseVipCsv(csv('platform,handle\r\nx,alice\r\nx,"bob\r\nx,carol\r\n'));
    expect(parsed.errors).toEqual([{ line: 3, field: null, message: 'a quote opens a field here and is never closed' }]);
    expect(parsed.rows.map((row) => [row.line, row.entry.handle])).toEqual([
      [2, 'alice'],
      [4, 'carol'],
    ]);
  });

  it('refuses a header with an unknown column, naming it', () => {
    const error = thrown(() => parseVipCsv(csv('platform,handle,followers\nx,alice,10\n')));
    expect(error).toMatchObject({ status: 400, field: 'followers' });
    expect(error.message).toContain('Unknown column "followers"');
  });

  it('refuses a header without platform, and an empty file', () => {
    expect(thrown(() => parseVipCsv(csv('handle\nalice\n')))).toMatchObject({ status: 400, field: 'platform' });
    expect(thrown(() => parseVipCsv(csv('platform,note\nx,hello\n')))).toMatchObject({ status: 400, field: 'handle' });
    expect(thrown(() => parseVipCsv(csv('\r\n\r\n')))).toMatchObject({ status: 400, field: 'csv' });
  });

  it('answers 413 naming the limit past 50,000 lines', () => {
    const lines = Array.from({ length: 50_001 }, (_, index) => `x,user${index}`);
    const error = thrown(() => parseVipCsv(csv(`platform,handle\n${lines.join('\n')}\n`)));
    expect(error).toMatchObject({ status: 413 });
    expect(error.message).toContain('50,000');
  });

  it('stops listing after 1,000 bad lines', () => {
    const lines = Array.from({ length: 1_500 }, () => 'nowhere,someone');
    const parsed = parseVipCsv(csv(`platform,handle\n${lines.join('\n')}\nx,last\n`));
    expect(parsed.errors).toHaveLength(1_001);
    expect(parsed.errors.at(-1)).toEqual({ line: 1_002, field: null, message: expect.stringContaining('not read from here on') as string });
    expect(parsed.rows).toEqual([]);
  });
});
