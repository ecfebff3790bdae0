/// <reference lib="dom" />
// A drawn chart as a standalone image: SVG text with the theme's computed colours and fonts
// inlined (a saved file has no VS Code CSS variables) on the editor's background, and PNG bytes
// drawn from that SVG on a canvas. The webview cannot write files: the extension saves them.

// What the chart's classes set; inlined on every element.
const STYLED = ['fill', 'fill-opacity', 'stroke', 'stroke-opacity', 'stroke-width', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-decoration'];

/** `svg` must be in the document, for its computed styles. */
export function svgMarkup(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const to = [copy, ...Array.from(copy.querySelectorAll('*'))];
  from.forEach((el, i) => {
    const computed = getComputedStyle(el);
    const target = to[i] as SVGElement;
    target.setAttribute('style', STYLED.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(';'));
    target.removeAttribute('class');
    for (const a of ['tabindex', 'role', 'aria-pressed']) if (el !== svg) target.removeAttribute(a);
  });
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({ x: 0, y: 0, width: '100%', height: '100%', fill: getComputedStyle(svg).backgroundColor }))
    background.setAttribute(k, String(v));
  copy.insertBefore(background, copy.firstChild);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** PNG bytes (base64) of the SVG markup, at `scale` times its size for sharp text. */
export async function pngBase64(markup: string, width: number, height: number, scale = 2): Promise<string> {
  const image = new Image();
  const loaded = new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no canvas to draw the chart on');
  g.scale(scale, scale);
  g.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
