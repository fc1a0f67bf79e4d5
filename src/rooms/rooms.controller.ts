import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type Page } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, Public } from '../identity/auth/auth.decorators';
import { CreateRoomDto, ListRoomsQuery, UpdateRoomDto } from './dto/room.dto';
import { MinutesQuery } from './minutes/dto/minutes.dto';
import { renderMinutesMarkdown } from './minutes/minutes.markdown';
import { MinutesService } from './minutes/minutes.service';
import { type MinutesView } from './minutes/minutes.view';
import { type RoomSanctionView } from '../protocol/views';
import { RoomSanctionsService } from './moderation/room-sanctions.service';
import { MinutesSchema, RoomSanctionSchema, RoomSchema } from './rooms.openapi';
import { RoomsService } from './rooms.service';
import { type RoomView } from './room.view';

@ApiTags('rooms')
@ApiBearerAuth()
@Controller()
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly minutes: MinutesService,
    private readonly sanctionsService: RoomSanctionsService,
  ) {}

  @Post('topics/:id/rooms')
  @ApiDoc({
    summary: 'Schedule a live room for a topic',
    description: 'Facilitators of its space; the topic must be open. Audited.',
    status: 201,
    type: RoomSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['topic_not_open', 'space_archived'] },
  })
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') topicId: string,
    @Body() dto: CreateRoomDto,
  ): Promise<RoomView> {
    return this.rooms.create(user, topicId, dto);
  }

  @Public()
  @Get('rooms')
  @ApiDoc({ summary: 'List rooms', status: 200, type: pageOf(RoomSchema, 'Room') })
  list(@Query() query: ListRoomsQuery): Promise<Page<RoomView>> {
    return this.rooms.list(query);
  }

  @Public()
  @Get('rooms/:id')
  @ApiDoc({
    summary: 'Get a room',
    status: 200,
    type: RoomSchema,
    problems: { 404: ['not_found'] },
  })
  get(@UuidParam('id') id: string): Promise<RoomView> {
    return this.rooms.get(id);
  }

  @Patch('rooms/:id')
  @ApiDoc({
    summary: "Change a room's title or settings",
    description:
      'Facilitators of its space. Partial: what is not sent is kept; `settings.streamUrl: null` ' +
      'removes the stream. The room hears it as `room:state`.',
    status: 200,
    type: RoomSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateRoomDto,
  ): Promise<RoomView> {
    return this.rooms.update(user, id, dto);
  }

  @Get('rooms/:id/sanctions')
  @ApiDoc({
    summary: 'Mutes and removals in force in a room',
    description:
      'Facilitators of its space: who is muted (until when) or removed, why and by whom. Lifted with the socket events `mod:unmute` and `mod:unban`.',
    status: 200,
    type: [RoomSanctionSchema],
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  sanctions(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<RoomSanctionView[]> {
    return this.sanctionsService.list(user, id);
  }

  @Post('rooms/:id/start')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Start a room (scheduled → live)',
    status: 200,
    type: RoomSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['illegal_transition'] },
  })
  start(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoomView> {
    return this.rooms.start(user, id);
  }

  @Post('rooms/:id/end')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'End a room (live → ended)',
    description: 'Unanswered questions become comments of the topic.',
    status: 200,
    type: RoomSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['illegal_transition'] },
  })
  end(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoomView> {
    return this.rooms.end(user, id);
  }

  @Public()
  @Get('rooms/:id/minutes')
  @ApiProduces('application/json', 'text/markdown')
  @ApiDoc({
    summary: 'The minutes of an ended room',
    status: 200,
    type: MinutesSchema,
    alternative: {
      mediaType: 'text/markdown',
      description: 'With `format=md`, the same minutes as Korean Markdown.',
    },
    problems: { 404: ['not_found'], 409: ['room_not_ended'] },
  })
  async minutesOf(
    @UuidParam('id') id: string,
    @Query() query: MinutesQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MinutesView | string> {
    const minutes = await this.minutes.build(id);
    if (query.format !== 'md') return minutes;
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    return renderMinutesMarkdown(minutes);
  }
}
