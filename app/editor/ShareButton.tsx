import './share.css';
import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../store';
import { shareLinkFor } from './shareLink';
import { errorMessage } from '../../src/errorMessage';
import { textsNow, useTexts } from '../i18n/texts';
import { editorTexts } from '../i18n/catalogs/editor';

type ShareState = { status: 'closed' } | { status: 'open'; link: string; copied: boolean };

/**
 * "Share link": a link that opens this experiment (the graph, not results or weights), copied to
 * the clipboard when the browser allows and always shown to copy by hand.
 */
export function ShareButton() {
  const tx = useTexts(editorTexts);
  const [state, setState] = useState<ShareState>({ status: 'closed' });
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.status === 'open') field.current?.select();
  }, [state]);

  const share = async () => {
    const { experiment, pushToast } = useStudio.getState();
    let link: string;
    try {
      link = shareLinkFor(experiment);
    } catch (error) {
      pushToast('error', textsNow(editorTexts).shareFailed(errorMessage(error)));
      return;
    }
    setState({ status: 'open', link, copied: false });
    try {
      await navigator.clipboard.writeText(link);
      setState({ status: 'open', link, copied: true });
    } catch {
      // No clipboard permission (or no secure context): the field is selected for Ctrl+C.
    }
  };

  return (
    <span className="share">
      <button type="button" data-testid="share-experiment" onClick={() => void share()}
        title={tx.shareTitle}>
        {tx.share}
      </button>
      {state.status === 'open' && (
        <div className="share__popover" role="dialog" aria-label={tx.share} data-testid="share-popover">
          <label>
            {state.copied ? tx.shareCopied : tx.shareCopyByHand}
            <input ref={field} readOnly value={state.link} data-testid="share-link" onFocus={(event) => event.target.select()} />
          </label>
          <span className="share__size">{tx.shareSize(state.link.length.toLocaleString('en-US'))}</span>
          <button type="button" aria-label={tx.close} data-testid="share-close" onClick={() => setState({ status: 'closed' })}>×</button>
        </div>
      )}
    </span>
  );
}
