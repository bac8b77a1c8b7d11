import { useEffect } from 'react';
import { useExplorerLogits } from '../classroom/useExplorerLogits';
import { useTexts } from '../i18n/texts';
import { lessonTexts } from '../i18n/catalogs/lessons';

/** The shipped teacher's logits on real test images (the temperature explorer's worker), handed up once ready. */
export function TeacherLogitsLoader({ onReady }: { onReady: (logits: number[][]) => void }) {
  const tx = useTexts(lessonTexts);
  const { load, retry } = useExplorerLogits();
  useEffect(() => {
    if (load.status === 'ready') onReady(load.result.logits);
  }, [load, onReady]);
  if (load.status === 'failed') {
    return <span role="alert" data-testid="lesson-logits-error">{tx.logitsFailed(load.message)} <button type="button" onClick={retry}>{tx.tryAgain}</button></span>;
  }
  return <span className="muted" data-testid="lesson-logits-loading">{tx.logitsLoading}</span>;
}
