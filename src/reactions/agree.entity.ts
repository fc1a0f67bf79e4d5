import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One agree (공감) per user per topic; the primary key makes a second one impossible. */
@Entity('topic_agrees')
@Index('topic_agrees_user_idx', ['userId'])
export class TopicAgree {
  @PrimaryColumn('uuid')
  topicId!: string;

  @PrimaryColumn('uuid')
  userId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One agree per user per comment. */
@Entity('comment_agrees')
@Index('comment_agrees_user_idx', ['userId'])
export class CommentAgree {
  @PrimaryColumn('uuid')
  commentId!: string;

  @PrimaryColumn('uuid')
  userId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
