import { memo, useEffect, useRef } from 'react';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

/** A probe image ([H*W*C] pixels in [0, 255]) as a small canvas thumbnail. */
export const ProbeImage = memo(function ProbeImage({
  pixels,
  shape,
  size = 48,
}: {
  pixels: number[];
  shape: [number, number, number];
  size?: number;
}) {
  const tx = useTexts(dashboardTexts);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [height, width, channels] = shape;

  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const o = i * 4;
      image.data[o] = pixels[i * channels];
      image.data[o + 1] = pixels[i * channels + (channels === 3 ? 1 : 0)];
      image.data[o + 2] = pixels[i * channels + (channels === 3 ? 2 : 0)];
      image.data[o + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels, width, height, channels]);

  return (
    <canvas
      ref={canvasRef}
      width={width}
      height={height}
      className="probe-image"
      style={{ width: size, height: size }}
      role="img"
      aria-label={tx.probeImage}
    />
  );
});
