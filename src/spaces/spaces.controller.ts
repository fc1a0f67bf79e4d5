import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, Public } from '../identity/auth/auth.decorators';
import {
  CreateSpaceDto,
  type FacilitatorView,
  type SpaceView,
  UpdateSpaceDto,
} from './dto/space.dto';
import { SpacesService } from './spaces.service';

@ApiTags('spaces')
@ApiBearerAuth()
@Controller('spaces')
export class SpacesController {
  constructor(private readonly spaces: SpacesService) {}

  @Post()
  @Idempotent()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSpaceDto): Promise<SpaceView> {
    return this.spaces.create(user, dto);
  }

  @Public()
  @Get()
  list(@Query() query: PageQuery): Promise<Page<SpaceView>> {
    return this.spaces.list(query);
  }

  @Public()
  @Get(':idOrSlug')
  get(@Param('idOrSlug') idOrSlug: string): Promise<SpaceView> {
    return this.spaces.get(idOrSlug);
  }

  @Patch(':id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateSpaceDto,
  ): Promise<SpaceView> {
    return this.spaces.update(user, id, dto);
  }

  @Get(':id/facilitators')
  facilitators(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<FacilitatorView[]> {
    return this.spaces.facilitators(user, id);
  }

  @Put(':id/facilitators/:userId')
  grant(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ): Promise<FacilitatorView> {
    return this.spaces.grantFacilitator(user, id, userId);
  }

  @Delete(':id/facilitators/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  revoke(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    return this.spaces.revokeFacilitator(user, id, userId);
  }
}
