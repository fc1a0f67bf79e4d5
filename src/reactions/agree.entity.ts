import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Comment } from '../comments/comment.entity';
import { Topic } from '../topics/topic.entity';
import { User } from '../identity/users/user.entity';

/** One agree (공감) per user per topic; the primary key makes a second one impossible. */
@Entity('topic_agrees')
@Index('topic_agrees_user_idx', ['userId'])
export class TopicAgree {
  @PrimaryColumn('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'topic_agrees_topic_id_fk' })
  topic?: Topic;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'topic_agrees_user_id_fk' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One agree per user per comment. */
@Entity('comment_agrees')
@Index('comment_agrees_user_idx', ['userId'])
export class CommentAgree {
  @PrimaryColumn('uuid')
  commentId!: string;

  @ManyToOne(() => Comment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id', foreignKeyConstraintName: 'comment_agrees_comment_id_fk' })
  comment?: Comment;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'comment_agrees_user_id_fk' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
