/** Rule docs are bundled as text by esbuild's `.md` loader. */
declare module "*.md" {
  const text: string;
  export default text;
}
