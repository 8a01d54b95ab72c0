/**
 * Entry point of widget-identify.js, `POST /widget/identify`: fetched by the app on a site's first
 * `Parley.identify` call, so that sites which never identify their visitors do not carry it. It
 * hands the call to the app (see ../chunks.ts), so it adds no global to the host page.
 */
import { handOver } from "../chunks.js";
import { identify } from "./post.js";

handOver(identify);
