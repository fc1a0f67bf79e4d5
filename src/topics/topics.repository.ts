import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { DEFAULT_LIMIT, decodeKeyset, type Page, toPage } from '../core/http/pagination';
import { type Thresholds } from '../spaces/space.entity';
import { type ListTopicsQuery } from './dto/topic.dto';
import { type Stance } from './topic-participation.entity';
import { type Rung, type TopicStatus } from './topic.entity';

/** A topic row as the topic view reads it, with its author's name and its space's thresholds. */
export interface TopicRow {
  id: string;
  space_id: string;
  author_id: string;
  author_name: string;
  title: string;
  body: string;
  tags: string[];
  status: TopicStatus;
  rung: Rung;
  agree_count: number;
  comment_count: number;
  participant_count: number;
  stance_for: number;
  stance_against: number;
  stance_neutral: number;
  seq: number;
  proposal_expires_at: Date;
  deliberation_opened_at: Date | null;
  closes_at: Date | null;
  rejected_reason: string | null;
  last_activity_at: Date;
  created_at: Date;
  updated_at: Date;
  thresholds: Thresholds;
  my_agree: boolean | null;
  my_stance: Stance | null;
  created_key: string;
  active_key: string;
  needed_key: number;
}

/** A topic as the ladder reads it under its row lock: what decides the rungs. */
export interface LockedTopic {
  id: string;
  space_id: string;
  status: TopicStatus;
  rung: Rung;
  agree_count: number;
  participant_count: number;
  thresholds: Thresholds;
}

/** What an edit reads under the row lock: the fields it may change and who may change them. */
export interface EditableTopic {
  space_id: string;
  status: TopicStatus;
  author_id: string;
  title: string;
  body: string;
  tags: string[];
}

/** A topic whose deadline has passed, claimed by the scheduler. */
export interface DueTopic {
  id: string;
  space_id: string;
  status: 'proposed' | 'deliberating';
  thresholds: Thresholds;
}

export interface StanceCounts {
  stance_for: number;
  stance_against: number;
  stance_neutral: number;
}

/** Who may narrow a page of topics to their own: the topics they proposed, or agree with. */
export interface TopicScope {
  authorId?: string;
  agreedBy?: string;
}

/**
 * What the next rung still asks of an open topic (agrees before the deliberation, participants
 * during it); NULL for topics that climb no more. The same rule as `ladderProgress`.
 */
const NEEDED = `(CASE
    WHEN t.status IN ('proposed', 'under_review') AND t.rung < 1
      THEN GREATEST(0, (s.thresholds->>'review')::int - t.agree_count)
    WHEN t.status IN ('proposed', 'under_review') AND t.rung < 2
      THEN GREATEST(0, (s.thresholds->>'deliberation')::int - t.agree_count)
    WHEN t.status = 'deliberating' AND t.rung < 3
      THEN GREATEST(0, (s.thresholds->>'response')::int - t.participant_count)
  END)`;

/**
 * The topic view's columns (`TopicRow`): `t` is topics, `u` its author, `s` its space; the
 * viewer's own agree and stance are read alongside, so a page is one statement.
 */
const TOPIC_SELECT = `
  SELECT t.*, u.display_name AS author_name, s.thresholds,
         -- Full-precision keys for cursors (a JS Date would drop the microseconds).
         t.created_at::text AS created_key, t.last_activity_at::text AS active_key,
         ${NEEDED} AS needed_key,
         CASE WHEN $viewer::uuid IS NULL THEN NULL
              ELSE EXISTS (SELECT 1 FROM topic_agrees a WHERE a.topic_id = t.id AND a.user_id = $viewer::uuid) END AS my_agree,
         (SELECT st.stance FROM topic_stances st WHERE st.topic_id = t.id AND st.user_id = $viewer::uuid) AS my_stance
    FROM topics t
    JOIN users u ON u.id = t.author_id
    JOIN spaces s ON s.id = t.space_id`;

/** The ladder's read of a topic: the columns of `LockedTopic`, `t` topics and `s` its space. */
const LOCKED_COLUMNS = `t.id, t.space_id, t.status, t.rung, t.agree_count, t.participant_count, s.thresholds`;

/** Escapes LIKE wildcards so a search for "100%" means the text "100%". */
const likeLiteral = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The counter column of each stance. */
const STANCE_COLUMN: Record<Stance, string> = {
  for: 'stance_for',
  against: 'stance_against',
  neutral: 'stance_neutral',
};

/**
 * Every statement on `topics`. Its counters (agrees, comments, participants, stances) and its
 * event number `seq` are moved here or, where one statement writes several tables to keep a
 * row lock short, in the statement named for that write (`WRITE_COMMENT`, `AGREE_TOPIC`).
 */
@Injectable()
export class TopicsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A new proposal in the space (its window from the space's thresholds); undefined when the
   * space does not exist.
   */
  async insert(
    tx: Queryable,
    topic: { spaceId: string; authorId: string; title: string; body: string; tags: string[] },
  ): Promise<string | undefined> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO topics (space_id, author_id, title, body, tags, proposal_expires_at)
       SELECT s.id, $2, $3, $4, $5, now() + make_interval(days => (s.thresholds->>'proposalWindowDays')::int)
         FROM spaces s WHERE s.id = $1
       RETURNING id`,
      [topic.spaceId, topic.authorId, topic.title, topic.body, topic.tags],
    );
    return rows[0]?.id;
  }

  /**
   * A budget project's thread: a topic of its own, so comments, replies and agrees (supports)
   * work as on any topic. It starts at the top rung with no expiry, so the ladder and the
   * proposal window, which are for topics, never move it.
   */
  async insertProjectThread(
    tx: Queryable,
    thread: { spaceId: string; authorId: string; title: string; body: string },
  ): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO topics (space_id, author_id, title, body, kind, rung, proposal_expires_at)
         VALUES ($1, $2, $3, $4, 'project', 3, 'infinity') RETURNING id`,
      [thread.spaceId, thread.authorId, thread.title, thread.body],
    );
    return rows[0]!.id;
  }

  /** One topic as `viewerId` (or an anonymous reader) sees it. */
  async view(id: string, viewerId: string | null): Promise<TopicRow | undefined> {
    const rows = await queryRows<TopicRow>(
      this.dataSource.manager,
      `${TOPIC_SELECT.replace(/\$viewer/g, '$1')} WHERE t.id = $2`,
      [viewerId, id],
    );
    return rows[0];
  }

  /** A page of topics: filtered, searched, narrowed to `scope`, in keyset order. */
  async page(
    query: ListTopicsQuery,
    viewerId: string | null,
    scope: TopicScope = {},
  ): Promise<Page<TopicRow>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const sort = query.sort ?? 'recent';
    const params: unknown[] = [viewerId];
    // A budget project's thread is a topic of its own kind, listed with its budget instead.
    const where: string[] = [`t.kind = 'topic'`];
    const add = (sql: string, ...values: unknown[]): void => {
      let clause = sql;
      for (const value of values) {
        params.push(value);
        clause = clause.replace('?', `$${params.length}`);
      }
      where.push(clause);
    };
    if (scope.authorId) add('t.author_id = ?', scope.authorId);
    if (scope.agreedBy)
      add(
        'EXISTS (SELECT 1 FROM topic_agrees g WHERE g.topic_id = t.id AND g.user_id = ?)',
        scope.agreedBy,
      );
    if (query.spaceId) add('t.space_id = ?', query.spaceId);
    if (query.status) add('t.status = ?', query.status);
    if (query.q) add(`(t.title || ' ' || t.body) ILIKE ?`, likeLiteral(query.q.normalize('NFC')));

    // `near`: open topics by what their next rung still asks (fewest first), so a resident
    // sees where one more agree or voice counts.
    if (sort === 'near') add(`${NEEDED} IS NOT NULL`);
    // Keyset pagination on (sort key, id), both descending (`near` ascending).
    const key = {
      recent: 't.created_at',
      agrees: 't.agree_count',
      active: 't.last_activity_at',
      near: NEEDED,
    }[sort];
    const numeric = sort === 'agrees' || sort === 'near';
    const dir = sort === 'near' ? 'ASC' : 'DESC';
    if (query.cursor) {
      const [value, id] = decodeKeyset(query.cursor, [numeric ? 'int' : 'time', 'uuid']);
      add(
        `(${key}, t.id) ${dir === 'ASC' ? '>' : '<'} (?${numeric ? '::int' : '::timestamptz'}, ?::uuid)`,
        value,
        id,
      );
    }
    params.push(limit + 1);
    const sql = `${TOPIC_SELECT.replace(/\$viewer/g, '$1')}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${key} ${dir}, t.id ${dir} LIMIT $${params.length}`;
    const rows = await queryRows<TopicRow>(this.dataSource.manager, sql, params);
    return toPage(
      rows,
      limit,
      (row) => row,
      (row) => [
        sort === 'agrees'
          ? row.agree_count
          : sort === 'near'
            ? row.needed_key
            : sort === 'recent'
              ? row.created_key
              : row.active_key,
        row.id,
      ],
    );
  }

  async exists(id: string): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.dataSource.manager,
      `SELECT 1 FROM topics WHERE id = $1`,
      [id],
    );
    return rows.length > 0;
  }

  /** The topic's space, or undefined when there is no such topic. */
  async spaceOf(id: string): Promise<string | undefined> {
    const rows = await queryRows<{ space_id: string }>(
      this.dataSource.manager,
      `SELECT space_id FROM topics WHERE id = $1`,
      [id],
    );
    return rows[0]?.space_id;
  }

  /** Where a topic's live stream stands: its space, status and last event number. */
  async streamHead(
    id: string,
  ): Promise<{ space_id: string; seq: number; status: string } | undefined> {
    const rows = await queryRows<{ space_id: string; seq: number; status: string }>(
      this.dataSource.manager,
      `SELECT space_id, seq, status FROM topics WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The topic's last event number (what its public pages are made at); undefined: no topic. */
  async seqOf(id: string): Promise<number | undefined> {
    const rows = await queryRows<{ seq: number }>(
      this.dataSource.manager,
      `SELECT seq FROM topics WHERE id = $1`,
      [id],
    );
    return rows[0]?.seq;
  }

  /**
   * A topic about to take a comment: its status and the author's ban in force in its space
   * (`banInForce` is the SQL joining `b`, given $1 the topic and $2 the author).
   */
  async statusForComment(
    db: Queryable,
    topicId: string,
    authorId: string,
    banInForce: string,
  ): Promise<{ status: TopicStatus; banned: boolean; banned_until: Date | null } | undefined> {
    const rows = await queryRows<{
      status: TopicStatus;
      banned: boolean;
      banned_until: Date | null;
    }>(
      db,
      `SELECT t.status, b.user_id IS NOT NULL AS banned, b.until AS banned_until
         FROM topics t ${banInForce}
        WHERE t.id = $1`,
      [topicId, authorId],
    );
    return rows[0];
  }

  /** The agree counts of these topics now, by id (missing: deleted). */
  async agreeCounts(ids: string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ id: string; agree_count: number }>(
      this.dataSource.manager,
      `SELECT id, agree_count FROM topics WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.agree_count]));
  }

  async agreeCount(id: string): Promise<number> {
    return (await this.agreeCounts([id])).get(id) ?? 0;
  }

  /** Locks the topic row for the ladder (FOR NO KEY UPDATE) and reads what decides the rungs. */
  async lock(tx: Queryable, id: string): Promise<LockedTopic | undefined> {
    const rows = await queryRows<LockedTopic>(
      tx,
      `SELECT ${LOCKED_COLUMNS}
         FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE t.id = $1 FOR NO KEY UPDATE OF t`,
      [id],
    );
    return rows[0];
  }

  /** Locks the topic row for an edit (FOR UPDATE) and reads what the edit starts from. */
  async lockForEdit(tx: Queryable, id: string): Promise<EditableTopic | undefined> {
    const rows = await queryRows<EditableTopic>(
      tx,
      `SELECT space_id, status, author_id, title, body, tags FROM topics WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async updateContent(
    tx: Queryable,
    id: string,
    content: { title: string; body: string; tags: string[] },
  ): Promise<void> {
    await tx.query(
      `UPDATE topics SET title = $2, body = $3, tags = $4, updated_at = now() WHERE id = $1`,
      [id, content.title, content.body, content.tags],
    );
  }

  /** Topics whose counts have reached a rung not yet applied (a crash between an agree and its climb). */
  async owedRungs(tx: Queryable, limit: number): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `SELECT t.id FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE (t.status IN ('proposed', 'under_review')
               AND ((t.rung < 1 AND t.agree_count >= (s.thresholds->>'review')::int)
                 OR (t.rung < 2 AND t.agree_count >= (s.thresholds->>'deliberation')::int)))
           OR (t.status = 'deliberating' AND t.rung < 3
               AND t.participant_count >= (s.thresholds->>'response')::int)
        ORDER BY t.id LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims up to `limit` topics whose deadline has passed (FOR UPDATE SKIP LOCKED: another
   * node's claims are passed over): proposals whose window ended below the first rung, and
   * deliberations past `closes_at`.
   */
  async claimDue(tx: Queryable, limit: number): Promise<DueTopic[]> {
    return queryRows<DueTopic>(
      tx,
      `SELECT t.id, t.space_id, t.status, s.thresholds FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE (t.status = 'proposed' AND t.proposal_expires_at <= now()
               AND t.agree_count < (s.thresholds->>'review')::int)
           OR (t.status = 'deliberating' AND t.closes_at <= now())
        ORDER BY t.id LIMIT ${limit}
        FOR UPDATE OF t SKIP LOCKED`,
    );
  }

  async setRung(tx: Queryable, id: string, rung: Rung): Promise<void> {
    await tx.query(`UPDATE topics SET rung = $2 WHERE id = $1`, [id, rung]);
  }

  /** Opens the deliberation: its dates, and at least the deliberation rung. */
  async openDeliberation(tx: Queryable, id: string, closesAt: Date): Promise<void> {
    await tx.query(
      `UPDATE topics SET status = $2, deliberation_opened_at = now(), closes_at = $3,
              rung = GREATEST(rung, 2), last_activity_at = now() WHERE id = $1`,
      [id, 'deliberating', closesAt],
    );
  }

  /** Any other move; a rejection keeps its reason. */
  async setStatus(
    tx: Queryable,
    id: string,
    to: TopicStatus,
    reason: string | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE topics SET status = $2::varchar, rejected_reason = CASE WHEN $2::varchar = 'rejected' THEN $3::text ELSE rejected_reason END,
              last_activity_at = now() WHERE id = $1`,
      [id, to, reason],
    );
  }

  /** Adds to the participant count; returns the new count. */
  async addParticipants(tx: Queryable, id: string, added: number): Promise<number> {
    const rows = await queryRows<{ participant_count: number }>(
      tx,
      `UPDATE topics SET participant_count = participant_count + $2 WHERE id = $1 RETURNING participant_count`,
      [id, added],
    );
    return rows[0]!.participant_count;
  }

  /** Moves one stance counter up and the old one, if any, down; returns the new counts. */
  async moveStance(
    tx: Queryable,
    id: string,
    to: Stance,
    from: Stance | undefined,
  ): Promise<StanceCounts> {
    const rows = await queryRows<StanceCounts>(
      tx,
      `UPDATE topics SET ${STANCE_COLUMN[to]} = ${STANCE_COLUMN[to]} + 1
         ${from ? `, ${STANCE_COLUMN[from]} = ${STANCE_COLUMN[from]} - 1` : ''}, last_activity_at = now()
       WHERE id = $1 RETURNING stance_for, stance_against, stance_neutral`,
      [id],
    );
    return rows[0]!;
  }

  /**
   * The next number of the topic's event sequence. The counter lives on the topic row and is
   * bumped with UPDATE … RETURNING inside the caller's transaction (see TopicEventsRepository).
   */
  async nextSeq(tx: Queryable, id: string): Promise<number | undefined> {
    const rows = await queryRows<{ seq: number }>(
      tx,
      `UPDATE topics SET seq = seq + 1 WHERE id = $1 RETURNING seq`,
      [id],
    );
    return rows[0]?.seq;
  }
}
