import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { SandboxClient } from "./sandbox/client.ts";
import "./styles.css";

// One sandbox worker for the page's lifetime.
const client = new SandboxClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
