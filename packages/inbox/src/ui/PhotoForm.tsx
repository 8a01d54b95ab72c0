/**
 * *Account* → Photo: choose a picture, crop it to a square, upload it (`PUT /agents/me/avatar`,
 * §14); or remove it. Visitors see it beside this agent's replies; the team sees it too.
 */
import { messages, useT } from "../i18n/index.js";
import { useRef, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { AVATAR_TYPES, avatarError } from "../state/avatar.js";
import { Avatar } from "./Avatar.js";
import { CropDialog } from "./CropDialog.js";
import { useInbox, useStore } from "./useInbox.js";

function loadImage(file: File): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  const image = new Image();
  image.src = url;
  return image.decode().then(
    () => {
      URL.revokeObjectURL(url);
      return image;
    },
    () => {
      URL.revokeObjectURL(url);
      throw new Error(messages().photoUnreadable);
    },
  );
}

function refusal(caught: unknown): string {
  return caught instanceof ApiError ? avatarError(caught.status, caught.message) : messageOf(caught);
}

export function PhotoForm() {
  const store = useStore();
  const me = useInbox((state) => state.me);
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<{ image: HTMLImageElement; type: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cropError, setCropError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const choose = async (file: File | undefined): Promise<void> => {
    setError(null);
    setDone(null);
    if (!file) return;
    if (!AVATAR_TYPES.includes(file.type)) {
      setError(t.notAnAcceptedType);
      return;
    }
    try {
      setPicked({ image: await loadImage(file), type: file.type });
      setCropError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  const upload = async (file: File): Promise<void> => {
    setBusy(true);
    setCropError(null);
    try {
      const { agent } = await rest.uploadAvatar(file, file.name);
      store.setMe(agent);
      setPicked(null);
      setDone(t.photoSaved);
    } catch (caught) {
      setCropError(refusal(caught));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { agent } = await rest.removeAvatar();
      store.setMe(agent);
      setDone(t.photoRemoved);
    } catch (caught) {
      setError(refusal(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card form photo-form" aria-labelledby="photo-title">
      <h2 id="photo-title">{t.yourPhoto}</h2>
      <div class="photo-row">
        <Avatar name={me.name} url={me.avatar_url} size={96} class="photo-current" />
        <div class="photo-actions">
          <p class="muted small">{me.avatar_url ? t.photoIntro : t.noPhotoYet}</p>
          <input
            ref={input}
            type="file"
            name="photo"
            hidden
            accept={AVATAR_TYPES.join(",")}
            onChange={(event) => {
              const field = event.currentTarget;
              void choose(field.files?.[0]);
              // The same file may be chosen again.
              field.value = "";
            }}
          />
          <button type="button" class="ghost" disabled={busy} onClick={() => input.current?.click()}>
            {me.avatar_url ? t.chooseAnotherPhoto : t.choosePhoto}
          </button>
          {me.avatar_url && (
            <button type="button" class="ghost danger-text" disabled={busy} onClick={() => void remove()}>
              {t.removePhoto}
            </button>
          )}
        </div>
      </div>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done !== null && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
      {picked !== null && (
        <CropDialog
          image={picked.image}
          sourceType={picked.type}
          busy={busy}
          error={cropError}
          onUse={(file) => void upload(file)}
          onCancel={() => {
            setPicked(null);
            setCropError(null);
          }}
        />
      )}
    </section>
  );
}
