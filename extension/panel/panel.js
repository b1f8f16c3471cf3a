// The side panel's entry point: start it with the browser's extension API.

import { browser } from "../shared/browser.js";
import { startPanel } from "./panel-app.js";

startPanel({ ext: browser });
