// The live transcript list, virtualized with @tanstack/react-virtual so a call with
// thousands of lines renders only what is on screen. It follows new lines while the agent
// is at the bottom, stops following as soon as they scroll up (to read back), and offers
// "Jump to latest". Screen readers get each new final line from a separate polite live
// region, because a virtualized list adds and drops rows while scrolling.
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { TranscriptLine, TranscriptState } from '../state/transcript-reducer';
import { TranscriptRow } from './transcript-row';

export interface TranscriptProps {
  transcript: TranscriptState;
  /** Accessible name of the list, e.g. "Transcript of the call with Ana Diaz". */
  label: string;
}

interface PartialRow {
  key: string;
  speaker: 'caller' | 'agent';
  text: string;
}

/** How close to the end still counts as "at the latest line" (and keeps following). */
const FOLLOW_SLACK_PX = 24;
/** One line of text plus the row's padding; most lines are one line, so few rows resize. */
const ESTIMATED_ROW_PX = 33;

/**
 * Row heights come only from the ResizeObserver entry (delivered after the browser's own
 * layout); a newly mounted row starts at its cached size or the estimate. The library's
 * default reads offsetHeight when a row mounts, which forces a synchronous layout inside
 * every append.
 */
function measureFromObserver(
  el: Element,
  entry: ResizeObserverEntry | undefined,
  instance: Virtualizer<HTMLDivElement, Element>,
): number {
  const box = entry?.borderBoxSize?.[0];
  if (box) return Math.round(box.blockSize);
  const index = instance.indexFromElement(el);
  return (
    instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index)
  );
}

export function Transcript({ transcript, label }: TranscriptProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { lines, partials } = transcript;
  const partialRows: PartialRow[] = [];
  if (partials.caller) partialRows.push({ key: 'partial-caller', speaker: 'caller', text: partials.caller });
  if (partials.agent) partialRows.push({ key: 'partial-agent', speaker: 'agent', text: partials.agent });
  const count = lines.length + partialRows.length;
  const rowAt = (i: number): TranscriptLine | PartialRow =>
    i < lines.length ? lines[i]! : partialRows[i - lines.length]!;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 8,
    getItemKey: (i) => rowAt(i).key,
    measureElement: measureFromObserver,
    // Keep the newest line in view while the list is at its end (also when a row's measured
    // height changes); leave the position alone once the agent scrolls up to read back.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: FOLLOW_SLACK_PX,
  });

  const following = count === 0 || virtualizer.isAtEnd(FOLLOW_SLACK_PX);
  const jumpToLatest = () => {
    virtualizer.scrollToEnd();
    scrollRef.current?.focus();
  };

  const latest = lines.length > 0 ? lines[lines.length - 1]! : null;
  const items = virtualizer.getVirtualItems();

  return (
    <div className="transcript">
      <div
        ref={scrollRef}
        className="transcript-scroll"
        tabIndex={0}
        role="log"
        aria-live="off"
        aria-label={label}
      >
        {count === 0 ? <p className="muted tx-empty">The conversation will appear here.</p> : null}
        <div className="transcript-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            const isPartial = !('seq' in row);
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="tx-slot"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <TranscriptRow
                  speaker={row.speaker}
                  text={row.text}
                  partial={isPartial}
                  translation={'translation' in row ? row.translation : undefined}
                  spokenAs={'spokenAs' in row ? row.spokenAs : undefined}
                />
              </div>
            );
          })}
        </div>
      </div>
      {!following ? (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          Jump to latest ↓
        </button>
      ) : null}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {latest && latest.speaker !== 'agent'
          ? `${latest.speaker === 'ai' ? 'AI' : latest.speaker === 'caller' ? 'Caller' : 'Note'}: ${latest.text}`
          : ''}
      </div>
    </div>
  );
}
