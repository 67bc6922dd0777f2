import './import-progress.css';

/** A host row's progress bar with its text beside it; the text is also what a screen reader hears as the value. */
export function HostProgressBar({
  max,
  value,
  label,
  text,
  className,
}: {
  max: number;
  value: number;
  label: string;
  text: string;
  className?: string;
}) {
  return (
    <div className={className ? `deploy-import ${className}` : 'deploy-import'}>
      <progress max={max} value={value} aria-label={label} aria-valuetext={text} /> <span className="muted">{text}</span>
    </div>
  );
}
