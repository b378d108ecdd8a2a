/*
 * What a host team writes to run the conformance kit: one factory, `createHost(env)`, returning the
 * host object (HostV1) and the few controls the tests need to set up a world and act as a person.
 * The kit imports nothing of the plugin but its contract and its entry.
 */
import type { RequestListener } from 'node:http';
import type { Knex } from 'knex';
import type {
  AdminRole, HostEventName, HostEventPayloads, HostUser, HostV1, KnowledgeItem, KnowledgeOrigin, KnowledgeRef,
  KnowledgeType, PanelSlot, Tx, UserStatus, UserType,
} from '../../src/contract/index.js';
import type { ProfileId } from './profiles.js';
import type { Visitor } from './visitor.js';

/** What the kit gives the factory: an empty database of its own (PostgreSQL or PGlite), dropped after the run. */
export interface KitEnvironment {
  /** A fresh, empty database; the host creates its own tables in it (the plugin adds `selfreg_*`). */
  readonly knex: Knex;
  /** The public base URL the host must report in `portal.info()` (the kit listens there). */
  readonly publicBaseUrl: string;
}

export interface MakeUser {
  readonly type: UserType;
  readonly email?: string;
  readonly role?: AdminRole | null;
  readonly status?: UserStatus;
}

export interface MakeItem {
  readonly type: KnowledgeType;
  readonly origin: KnowledgeOrigin;
  readonly title?: string;
}

export interface RenderedPanel {
  readonly id: string;
  readonly title: string;
  readonly html: string;
}

/**
 * A learning step as the host records it (the host raises the matching `learning.*` event after commit).
 * A host whose learning is measured from lessons and quizzes reaches it through a learner's own actions,
 * raising `learning.progressed` for every percent it passes on the way (100 % on completion included).
 */
export type LearningStep =
  | { readonly kind: 'started' }
  | { readonly kind: 'progressed'; readonly percent: number }
  | { readonly kind: 'completed'; readonly outcome: 'passed' | 'failed' | 'completed'; readonly score: number | null };

/** One item report as the host builds it (on screen and in its CSV alike). */
export interface BuiltReport {
  /** Every column: the host's own and the contributed ones. */
  readonly columns: readonly { readonly id: string; readonly label: string }[];
  /** One row per learner kept by the host's and the contributed filters. */
  readonly rows: readonly { readonly userId: string; readonly values: Readonly<Record<string, string | null>> }[];
}

/** Controls for the `reporting` profile: the host's own report and learning records. */
export interface ReportingControls {
  /** Builds the item's report as the host does, with the contributed filters chosen as given. */
  buildItemReport(item: KnowledgeRef, chosen?: Readonly<Record<string, string>>): Promise<BuiltReport>;
  /** Records a learning step in the host's own records, on `tx` when given; the event follows the commit. */
  recordLearning(userId: string, item: KnowledgeRef, step: LearningStep, tx?: Tx): Promise<void>;
}

/** An entry of the host's admin menu as a page of the host shows it. */
export interface ShownMenuEntry {
  readonly label: string;
  readonly href: string;
}

/** Controls for the `frame` profile: the host's rendered layout and admin navigation. */
export interface FrameControls {
  /** The admin-menu entries the host's navigation shows the signed-in visitor, in order (read from a page of the host). */
  menuEntriesFor(visitor: Visitor): Promise<ShownMenuEntry[]>;
  /** Whether a document is drawn in the host's own layout (its navigation, user menu), read from its markup. */
  framedIn(html: string): boolean;
}

/** Controls for the `rules` profile: the host's own learning records and enrolment removal. */
export interface RulesControls {
  /** The learner does what the host counts as starting the item (progress, a lesson done), committed. */
  startLearning(userId: string, item: KnowledgeRef): Promise<void>;
  /** An admin removes the enrolment as the host's own pages do, committed; the host raises `enrolment.deleted` (removedBy `admin`) after the commit. */
  removeEnrolment(userId: string, item: KnowledgeRef): Promise<void>;
}

/** Controls for the `quarantine` profile: the host's self-enrolment catalogue, as a learner uses it. */
export interface QuarantineControls {
  /** Opens the item for self-enrolment to these user types (null: closes it), committed. */
  openItem(item: KnowledgeRef, openTo: readonly UserType[] | null): Promise<void>;
  /** The ids of the items the host's catalogue page offers the signed-in visitor for self-enrolment (read from the page). */
  offeredTo(visitor: Visitor): Promise<string[]>;
  /** The visitor asks the host's page to enrol them in the item; the text of the page the host answers with. */
  enrolSelf(visitor: Visitor, item: KnowledgeRef): Promise<{ status: number; text: string }>;
}

export interface HostUnderTest {
  /** Shown in the report, e.g. `sandbox`. */
  readonly name: string;
  readonly host: HostV1;
  /** The optional profiles this host claims (`core` is always run). */
  readonly profiles: readonly ProfileId[];
  /** The host's whole web app: the kit listens with it on `publicBaseUrl`. */
  readonly app: RequestListener;
  /** Makes a person of a type (and role, status) in the host's own records, committed, without a password. */
  makeUser(input: MakeUser): Promise<HostUser>;
  /** Makes an item of a type and origin in the host's catalogue, committed. */
  makeItem(input: MakeItem): Promise<KnowledgeItem>;
  /** Leaves exactly `n` seats free from now on (null: an unlimited subscription). */
  setSeatsLeft(n: number | null): Promise<void>;
  /**
   * Raises a host event the way the host raises its own: after `tx` commits, never when it rolls back.
   * Without `tx` it resolves once the handlers ran; with one it resolves at once (it is called inside the transaction).
   */
  raise<E extends HostEventName>(event: E, payload: HostEventPayloads[E], tx?: Tx): Promise<void>;
  /**
   * Signs a person in through the host's own sign-in page, starting from `signInUrl` (as
   * `access.signInUrl(returnTo)` gave it) with the visitor's cookies; returns where the host sends the
   * browser afterwards (the Location of its redirect).
   */
  signIn(visitor: Visitor, user: HostUser, password: string, signInUrl: string): Promise<{ status: number; location: string | null }>;
  /** The same-origin path of the host page that shows a slot's panels (for `item.settings`, the item's). */
  panelPage(slot: PanelSlot, item?: KnowledgeRef): string;
  /** The panels a page of the host (fetched from `panelPage`) shows, in order, read from the host's own markup. */
  panelsIn(html: string): RenderedPanel[];
  /** Present when the host declares `reporting`. */
  readonly reporting?: ReportingControls;
  /** Present when the host declares `frame`. */
  readonly frame?: FrameControls;
  /** Present when the host declares `rules`. */
  readonly rules?: RulesControls;
  /** Present when the host declares `quarantine`. */
  readonly quarantine?: QuarantineControls;
  /** Releases everything the host holds (timers, pools); the kit drops the database afterwards. */
  dispose(): Promise<void>;
}

/** The one function a host module exports for the kit. */
export type HostFactory = (env: KitEnvironment) => Promise<HostUnderTest>;
