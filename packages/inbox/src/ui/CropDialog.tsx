/**
 * The photo's crop step: the picture in a square view with the kept square outlined and the rest
 * dimmed, drawn to a canvas. The square is dragged with a pointer or moved with the arrow keys
 * (Shift: further), zoomed with the range input or + and -; a round preview shows the result.
 * "Use this photo" exports the square (at most MAX_EXPORT_PX) and hands it over.
 */
import { useT } from "../i18n/index.js";
import { MAX_AVATAR_BYTES } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  cropKey,
  exportSize,
  exportType,
  fitView,
  initialCrop,
  MAX_ZOOM,
  moveCrop,
  zoomCrop,
  zoomOf,
  type Crop,
  type ImageSize,
} from "../state/crop.js";

/** The view's side in CSS pixels (it shrinks on a narrow screen; the drawing scales with it). */
const VIEW = 280;
const PREVIEW = 72;

function toBlob(canvas: HTMLCanvasElement, type: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("This browser could not make the picture."))),
      type,
      0.9,
    );
  });
}

/** The square as a picture file: PNG or JPEG, and JPEG when a PNG would be over the upload limit. */
export async function exportCrop(image: CanvasImageSource, crop: Crop, sourceType: string): Promise<File> {
  const side = exportSize(crop);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = side;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser could not make the picture.");
  let type = exportType(sourceType);
  context.imageSmoothingQuality = "high";
  context.drawImage(image, crop.x, crop.y, crop.size, crop.size, 0, 0, side, side);
  let blob = await toBlob(canvas, type);
  if (blob.size > MAX_AVATAR_BYTES) {
    type = "image/jpeg";
    blob = await toBlob(canvas, type);
  }
  return new File([blob], type === "image/png" ? "photo.png" : "photo.jpg", { type });
}

function draw(canvas: HTMLCanvasElement | null, image: HTMLImageElement, size: ImageSize, crop: Crop): void {
  const context = canvas?.getContext("2d");
  if (!canvas || !context) return;
  const ratio = globalThis.devicePixelRatio || 1;
  const side = Math.round(VIEW * ratio);
  if (canvas.width !== side) canvas.width = canvas.height = side;
  const { scale, offsetX, offsetY } = fitView(size, side);
  context.clearRect(0, 0, side, side);
  context.drawImage(image, offsetX, offsetY, size.width * scale, size.height * scale);
  const x = offsetX + crop.x * scale;
  const y = offsetY + crop.y * scale;
  const s = crop.size * scale;
  context.fillStyle = "rgba(0, 0, 0, 0.6)";
  context.beginPath();
  context.rect(0, 0, side, side);
  context.rect(x, y, s, s);
  context.fill("evenodd");
  context.lineWidth = 2 * ratio;
  context.strokeStyle = "#000";
  context.strokeRect(x - ratio, y - ratio, s + 2 * ratio, s + 2 * ratio);
  context.strokeStyle = "#fff";
  context.strokeRect(x + ratio, y + ratio, s - 2 * ratio, s - 2 * ratio);
}

function drawPreview(canvas: HTMLCanvasElement | null, image: HTMLImageElement, crop: Crop): void {
  const context = canvas?.getContext("2d");
  if (!canvas || !context) return;
  const side = Math.round(PREVIEW * (globalThis.devicePixelRatio || 1));
  if (canvas.width !== side) canvas.width = canvas.height = side;
  context.clearRect(0, 0, side, side);
  context.drawImage(image, crop.x, crop.y, crop.size, crop.size, 0, 0, side, side);
}

export function CropDialog(props: {
  image: HTMLImageElement;
  sourceType: string;
  busy: boolean;
  error: string | null;
  onUse: (file: File) => void;
  onCancel: () => void;
}) {
  const { image } = props;
  const size: ImageSize = { width: image.naturalWidth, height: image.naturalHeight };
  const [crop, setCrop] = useState<Crop>(() => initialCrop(size));
  const [exportError, setExportError] = useState<string | null>(null);
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const view = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const area = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; crop: Crop; scale: number } | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    area.current?.focus();
    return () => element?.close();
  }, []);

  useEffect(() => {
    draw(view.current, image, size, crop);
    drawPreview(preview.current, image, crop);
  });

  const zoom = zoomOf(crop, size);

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLDivElement>): void => {
    const next = cropKey(crop, event.key, event.shiftKey, size);
    if (next === null) return;
    event.preventDefault();
    setCrop(next);
  };

  const onPointerDown = (event: JSX.TargetedPointerEvent<HTMLDivElement>): void => {
    const rect = event.currentTarget.getBoundingClientRect();
    // Picture pixels per CSS pixel of the view as drawn now.
    const scale = fitView(size, rect.width).scale;
    drag.current = { x: event.clientX, y: event.clientY, crop, scale };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: JSX.TargetedPointerEvent<HTMLDivElement>): void => {
    const start = drag.current;
    if (!start) return;
    const dx = (event.clientX - start.x) / start.scale;
    const dy = (event.clientY - start.y) / start.scale;
    setCrop(moveCrop(start.crop, dx, dy, size));
  };
  const endDrag = (): void => {
    drag.current = null;
  };

  const use = async (): Promise<void> => {
    setExportError(null);
    try {
      props.onUse(await exportCrop(image, crop, props.sourceType));
    } catch (caught) {
      setExportError(caught instanceof Error ? caught.message : "This browser could not make the picture.");
    }
  };

  const error = exportError ?? props.error;
  return (
    <dialog ref={dialog} class="dialog crop-dialog" onCancel={props.onCancel} aria-labelledby="crop-title">
      <h2 id="crop-title">{t.cropTitle}</h2>
      <p class="muted small" id="crop-hint">
        {t.cropHint}
      </p>
      <div class="crop-stage">
        <div
          ref={area}
          class="crop-area"
          tabIndex={0}
          role="group"
          aria-label={t.cropArea}
          aria-describedby="crop-hint crop-where"
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
          data-crop={`${Math.round(crop.x)},${Math.round(crop.y)},${Math.round(crop.size)}`}
        >
          <canvas ref={view} class="crop-view" aria-hidden="true" />
        </div>
        <div class="crop-side">
          <canvas ref={preview} class="crop-preview" aria-hidden="true" />
          <span class="muted small">{t.preview}</span>
        </div>
      </div>
      <p class="sr" id="crop-where" aria-live="polite">
        {t.cropWhere(
          Math.round(zoom * 100),
          Math.round(((crop.x + crop.size / 2) / size.width) * 100),
          Math.round(((crop.y + crop.size / 2) / size.height) * 100),
        )}
      </p>
      <label class="crop-zoom">
        {t.zoom}
        <input
          type="range"
          min={1}
          max={MAX_ZOOM}
          step={0.05}
          value={zoom}
          aria-valuetext={`${Math.round(zoom * 100)}%`}
          onInput={(event) => setCrop(zoomCrop(crop, Number(event.currentTarget.value), size))}
        />
      </label>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="ghost" onClick={props.onCancel}>
          {t.cancel}
        </button>
        <button type="button" class="primary" disabled={props.busy} onClick={() => void use()}>
          {props.busy ? t.saving : t.useThisPhoto}
        </button>
      </div>
    </dialog>
  );
}
