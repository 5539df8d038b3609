import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { establishIsolation } from "./offline/isolation.ts";
import { IsolationBanner } from "./offline/IsolationBanner.tsx";
import { SandboxClient } from "./sandbox/client.ts";
import "./styles.css";

// Isolation first: when the service worker must add the headers, the page reloads before anything starts.
const isolation = await establishIsolation();

// One sandbox worker for the page's lifetime.
const client = new SandboxClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    {!isolation.isolated && <IsolationBanner reason={isolation.reason} />}
    <App client={client} />
  </StrictMode>,
);
