/** Offers text or bytes as a file download through a temporary link. */
export function downloadFile(contents: Uint8Array | string, fileName: string, type: string): void {
  const blob = new Blob([typeof contents === 'string' ? contents : contents.slice()], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start reading the blob before its URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name made from free text: lower case, runs of other characters as one dash. */
export function fileSlug(name: string, fallback: string): string {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? fallback : slug;
}
