import { DHCPCD_CONF } from './dhcpcd.js';
import { HOSTNAME_FILE, HOSTS_FILE } from './hostname.js';
import { NETPLAN_DIR } from './netplan.js';
import { NM_CONNECTIONS_DIR } from './networkmanager.js';
import { DPHYS_SWAPFILE_CONF, FSTAB, RPI_SWAP_CONF, RPI_SWAP_DROPIN, ZRAM_GENERATOR_CONF } from './swap.js';

/**
 * The files the planners compare against, for the facts script to put in NodeFacts.files (content
 * null when absent). A path missing from the facts reads as "file absent", so a planner would plan to
 * write it again on every run: keep this list and the script in step.
 */
export const PLANNER_FILES: readonly string[] = [HOSTNAME_FILE, HOSTS_FILE, DHCPCD_CONF, FSTAB, DPHYS_SWAPFILE_CONF, RPI_SWAP_CONF, RPI_SWAP_DROPIN, ZRAM_GENERATOR_CONF];

/** Directories whose every file (NetworkManager keyfiles, netplan *.yaml) the planners read. */
export const PLANNER_DIRS: readonly string[] = [NM_CONNECTIONS_DIR, NETPLAN_DIR];
