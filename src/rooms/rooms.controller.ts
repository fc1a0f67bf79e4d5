import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Page } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, Public } from '../identity/auth/auth.decorators';
import { CreateRoomDto, ListRoomsQuery } from './dto/room.dto';
import { RoomsService } from './rooms.service';
import { type RoomView } from './room.view';

@ApiTags('rooms')
@ApiBearerAuth()
@Controller()
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

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
}
