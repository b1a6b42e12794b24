import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

/**
 * A formula typeset by KaTeX. The sources are the lesson's own constants, never user input, and
 * KaTeX escapes what it renders, so its HTML goes into the page as is.
 */
export function TeX({ children, block = false }: { children: string; block?: boolean }) {
  const html = useMemo(() => katex.renderToString(children, { displayMode: block, throwOnError: true, output: 'htmlAndMathml' }), [children, block]);
  return block ? <div className="tex" dangerouslySetInnerHTML={{ __html: html }} /> : <span className="tex" dangerouslySetInnerHTML={{ __html: html }} />;
}
