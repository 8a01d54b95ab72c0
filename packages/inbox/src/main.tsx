/** The inbox's entry point, loaded by index.html from /admin/assets/. */
import { render } from "preact";
import "./styles.css";
import { App } from "./ui/App.js";

const root = document.getElementById("app");
if (root) render(<App />, root);
