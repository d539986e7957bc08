/**
 * The path below `basePath`, or `undefined` when `pathname` lies outside it.
 * `basePath` has no trailing slash; `''` mounts at the root.
 */
export function routePath(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}
