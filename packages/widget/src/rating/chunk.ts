/**
 * Entry point of widget-rating.js (see contract.ts). It hands what it exports to the app
 * (../chunks.ts), so it adds no global to the host page.
 */
import { handOver } from "../chunks.js";
import { rating } from "./card.js";

handOver(rating);
