import { useStudio } from '../store';

export function RunErrorMessage() {
  const error = useStudio((s) => s.run.error);
  if (error === null) return null;
  return (
    <div className="run-error" role="alert" data-testid="run-error" data-kind={error.kind}>
      <p>{error.message}</p>
      {error.lossTerm !== undefined && <p>Loss term that diverged: {error.lossTerm}</p>}
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
