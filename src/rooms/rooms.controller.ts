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
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, Public } from '../identity/auth/auth.decorators';
import { CreateRoomDto, ListRoomsQuery, UpdateRoomDto } from './dto/room.dto';
import { MinutesQuery } from './minutes/dto/minutes.dto';
import { renderMinutesMarkdown } from './minutes/minutes.markdown';
import { MinutesService } from './minutes/minutes.service';
import { type MinutesView } from './minutes/minutes.view';
import { RoomsService } from './rooms.service';
import { type RoomView } from './room.view';

@ApiTags('rooms')
@ApiBearerAuth()
@Controller()
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly minutes: MinutesService,
  ) {}

  @Post('topics/:id/rooms')
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') topicId: string,
    @Body() dto: CreateRoomDto,
  ): Promise<RoomView> {
    return this.rooms.create(user, topicId, dto);
  }

  @Public()
  @Get('rooms')
  list(@Query() query: ListRoomsQuery): Promise<Page<RoomView>> {
    return this.rooms.list(query);
  }

  @Public()
  @Get('rooms/:id')
  get(@UuidParam('id') id: string): Promise<RoomView> {
    return this.rooms.get(id);
  }

  @Patch('rooms/:id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateRoomDto,
  ): Promise<RoomView> {
    return this.rooms.update(user, id, dto);
  }

  @Post('rooms/:id/start')
  @HttpCode(HttpStatus.OK)
  start(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoomView> {
    return this.rooms.start(user, id);
  }

  @Post('rooms/:id/end')
  @HttpCode(HttpStatus.OK)
  end(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RoomView> {
    return this.rooms.end(user, id);
  }

  /** The minutes (회의록) of an ended room: JSON, or Korean Markdown with `format=md`. */
  @Public()
  @Get('rooms/:id/minutes')
  @ApiProduces('application/json', 'text/markdown')
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
