import { describe, expect, it } from 'vitest';
import { relatedItem } from '../../../test/fakes';
import { findSuggestion, joinChunks, manualHref, parseAnswer, parseMarkers } from './markers';

describe('parseMarkers', () => {
  it('splits text and the three marker kinds', () => {
    expect(parseMarkers('Plug the headphones into PHONES. [MANUAL: page 12] Then set the volume. [SUGGESTION: Roland RH-300 Headphones] [PRO TIP: Keep the volume low at first.]')).toEqual([
      { kind: 'text', text: 'Plug the headphones into PHONES. ' },
      { kind: 'manual', page: 12 },
      { kind: 'text', text: ' Then set the volume. ' },
      { kind: 'suggestion', name: 'Roland RH-300 Headphones' },
      { kind: 'tip', text: 'Keep the volume low at first.' },
    ]);
  });

  it('accepts spelling variants and leaves unknown brackets as text', () => {
    expect(parseMarkers('[manual: p. 3][Pro Tip: x]')).toEqual([
      { kind: 'manual', page: 3 },
      { kind: 'tip', text: 'x' },
    ]);
    expect(parseMarkers('see [NOTE: this] and [MANUAL: appendix]')).toEqual([{ kind: 'text', text: 'see [NOTE: this] and [MANUAL: appendix]' }]);
  });

  it('parses markers arriving as chunks of their own', () => {
    const segments = parseAnswer(['Connect the headphones to the PHONES jack.', '[MANUAL: page 7]', 'Adjust the volume.', '[PRO TIP: Use closed-back headphones.]']);
    expect(segments.map((s) => s.kind)).toEqual(['text', 'manual', 'text', 'tip']);
    expect(segments[2]).toEqual({ kind: 'text', text: ' Adjust the volume. ' });
  });
});

describe('joinChunks', () => {
  it('adds a space only where neither side has one', () => {
    expect(joinChunks(['One.', 'Two.'])).toBe('One. Two.');
    expect(joinChunks(['One. ', 'Two.'])).toBe('One. Two.');
    expect(joinChunks(['One', ', two'])).toBe('One, two');
    expect(joinChunks(['', 'x'])).toBe('x');
  });
});

describe('manualHref', () => {
  const sources = [
    { page: 12, url: 'http://h/manual.pdf', title: 'Manual' },
    { page: 30, url: 'http://h/other.pdf', title: 'Other' },
  ];
  it('opens the PDF that cites the page, at that page', () => {
    expect(manualHref(30, sources, null)).toBe('http://h/other.pdf#page=30');
    expect(manualHref(5, sources, null)).toBe('http://h/manual.pdf#page=5');
  });
  it('falls back to the product document; no #page for HTML', () => {
    expect(manualHref(4, [], 'http://h/doc.html', 'html')).toBe('http://h/doc.html');
    expect(manualHref(4, [], 'http://h/doc?id=1', 'pdf')).toBe('http://h/doc?id=1#page=4');
    expect(manualHref(4, [], null)).toBeNull();
  });
});

describe('findSuggestion', () => {
  const items = [
    relatedItem('roland-rh300', 'Roland RH-300 Headphones'),
    relatedItem('roland-kt10', 'Roland KT-10 Kick Pedal'),
  ];
  it('matches names loosely', () => {
    expect(findSuggestion('roland rh-300 headphones', items)?.id).toBe('roland-rh300');
    expect(findSuggestion('the Roland KT-10 Kick Pedal', items)?.id).toBe('roland-kt10');
    expect(findSuggestion('Unknown Stand', items)).toBeNull();
  });
});
