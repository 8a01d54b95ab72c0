/**
 * The photo crop's arithmetic, apart from the canvas that draws it: a square selection inside
 * the picture, in the picture's own pixels, that the agent moves (drag, arrow keys) and zooms
 * (the range input, + and -). Zoom 1 is the largest square that fits; the selection never
 * leaves the picture, and zooming keeps its centre where it was (as far as the edges allow).
 */

export interface Crop {
  /** Top-left corner and side of the square, in the picture's pixels. */
  x: number;
  y: number;
  size: number;
}

export interface ImageSize {
  width: number;
  height: number;
}

/** The closest zoom: the square is then a quarter of the picture's shorter side. */
export const MAX_ZOOM = 4;
/** The largest side the exported picture has (the server keeps a smaller one anyway). */
export const MAX_EXPORT_PX = 1024;
/** One arrow key press moves the square by this share of its side (Shift: five times as far). */
export const KEY_STEP = 0.05;
/** One + or - press changes the zoom by this much. */
export const ZOOM_STEP = 0.25;

const shorter = (image: ImageSize): number => Math.min(image.width, image.height);

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The square kept inside the picture (moved, never resized, unless it is larger than the picture). */
export function clampCrop(crop: Crop, image: ImageSize): Crop {
  const size = clamp(crop.size, 1, shorter(image));
  return {
    x: clamp(crop.x, 0, image.width - size),
    y: clamp(crop.y, 0, image.height - size),
    size,
  };
}

/** Where a crop starts: the largest centred square. */
export function initialCrop(image: ImageSize): Crop {
  const size = shorter(image);
  return { x: (image.width - size) / 2, y: (image.height - size) / 2, size };
}

export function zoomOf(crop: Crop, image: ImageSize): number {
  return shorter(image) / crop.size;
}

/** The same centre at another zoom (1 to MAX_ZOOM), clamped into the picture. */
export function zoomCrop(crop: Crop, zoom: number, image: ImageSize): Crop {
  const size = shorter(image) / clamp(zoom, 1, MAX_ZOOM);
  const centreX = crop.x + crop.size / 2;
  const centreY = crop.y + crop.size / 2;
  return clampCrop({ x: centreX - size / 2, y: centreY - size / 2, size }, image);
}

/** Moved by (dx, dy) picture pixels, clamped. */
export function moveCrop(crop: Crop, dx: number, dy: number, image: ImageSize): Crop {
  return clampCrop({ ...crop, x: crop.x + dx, y: crop.y + dy }, image);
}

/**
 * What a key does to the crop: arrows move it (Shift: further), + and - zoom. null for any other
 * key, so the caller lets it through (Tab must still leave).
 */
export function cropKey(crop: Crop, key: string, shift: boolean, image: ImageSize): Crop | null {
  const step = crop.size * KEY_STEP * (shift ? 5 : 1);
  switch (key) {
    case "ArrowLeft":
      return moveCrop(crop, -step, 0, image);
    case "ArrowRight":
      return moveCrop(crop, step, 0, image);
    case "ArrowUp":
      return moveCrop(crop, 0, -step, image);
    case "ArrowDown":
      return moveCrop(crop, 0, step, image);
    case "+":
    case "=":
      return zoomCrop(crop, zoomOf(crop, image) + ZOOM_STEP, image);
    case "-":
    case "_":
      return zoomCrop(crop, zoomOf(crop, image) - ZOOM_STEP, image);
    default:
      return null;
  }
}

/** The exported square's side: the selection's own pixels, never upscaled, at most MAX_EXPORT_PX. */
export function exportSize(crop: Crop): number {
  return Math.max(1, Math.min(MAX_EXPORT_PX, Math.round(crop.size)));
}

/** How the picture fits a square view of `view` px: its scale and offset (letterboxed, centred). */
export function fitView(image: ImageSize, view: number): { scale: number; offsetX: number; offsetY: number } {
  const scale = view / Math.max(image.width, image.height);
  return {
    scale,
    offsetX: (view - image.width * scale) / 2,
    offsetY: (view - image.height * scale) / 2,
  };
}

/** The export's type: PNG keeps transparency for pictures that may have it, JPEG is smaller for photos. */
export function exportType(sourceType: string): "image/png" | "image/jpeg" {
  return sourceType === "image/jpeg" ? "image/jpeg" : "image/png";
}
