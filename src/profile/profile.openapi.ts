import { ApiProperty } from '@nestjs/swagger';
import { CommentSchema } from '../comments/comment.openapi';
import { type CommentView } from '../comments/comment.view';
import { Documents } from '../core/openapi/shape';

type MyComment = CommentView & { topic: { id: string; title: string } };

@Documents<MyComment['topic']>('MyCommentTopic')
export class MyCommentTopicSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;
}

@Documents<MyComment>('MyComment', 'One of your comments, with the topic it is on.')
export class MyCommentSchema extends CommentSchema {
  @ApiProperty({ type: MyCommentTopicSchema })
  topic!: MyCommentTopicSchema;
}
