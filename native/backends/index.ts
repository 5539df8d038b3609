/**
 * Every backend the runner knows, in the order results list them: the
 * baseline first, then from the lightest isolation to the heaviest.
 */
import type { Backend } from "../types.ts";
import { createBubblewrap } from "./bubblewrap.ts";
import { createCrun } from "./crun.ts";
import { createDocker } from "./docker.ts";
import { createFirejail } from "./firejail.ts";
import { createGvisor } from "./gvisor.ts";
import { createLandlockSeccomp } from "./landlock-seccomp.ts";
import { createAppArmor, createSelinux } from "./lsm.ts";
import { createPodman } from "./podman.ts";
import { createQemu } from "./qemu.ts";
import { createRunc } from "./runc.ts";
import { createPlain } from "./plain.ts";

export function allBackends(): Backend[] {
  return [
    createPlain(),
    createLandlockSeccomp(),
    createBubblewrap(),
    createFirejail(),
    createRunc(),
    createCrun(),
    createGvisor(),
    createDocker(),
    createDocker({ runtime: "runsc" }),
    createPodman(),
    createQemu(),
    createAppArmor(),
    createSelinux(),
  ];
}
