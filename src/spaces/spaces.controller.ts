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
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, OptionalUser, Public } from '../identity/auth/auth.decorators';
import {
  CreateSpaceDto,
  type FacilitatorView,
  SpaceListQuery,
  type SpaceView,
  UpdateSpaceDto,
} from './dto/space.dto';
import { FacilitatorSchema, SpaceSchema } from './space.openapi';
import { SpacesService } from './spaces.service';

@ApiTags('spaces')
@ApiBearerAuth()
@Controller('spaces')
export class SpacesController {
  constructor(private readonly spaces: SpacesService) {}

  @Post()
  @Idempotent()
  @ApiDoc({
    summary: 'Create a space',
    description: 'Administrators only. The slug is fixed once created.',
    status: 201,
    type: SpaceSchema,
    problems: { 403: ['forbidden'], 409: ['slug_taken'] },
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSpaceDto): Promise<SpaceView> {
    return this.spaces.create(user, dto);
  }

  @Public()
  @Get()
  @ApiDoc({
    summary: 'List spaces',
    description:
      'Archived spaces are left out; administrators may pass `includeArchived=true` to see them.',
    status: 200,
    type: pageOf(SpaceSchema, 'Space'),
    problems: { 403: ['forbidden'] },
  })
  list(
    @OptionalUser() user: AuthUser | undefined,
    @Query() query: SpaceListQuery,
  ): Promise<Page<SpaceView>> {
    return this.spaces.list(query, user);
  }

  // The parameter is named `id` like on every other /spaces/{id} route, so that the document
  // has one path template; it takes a slug as well.
  @Public()
  @Get(':id')
  @ApiParam({ name: 'id', description: "The space's id (a UUID) or its slug." })
  @ApiDoc({
    summary: 'Get a space by id or slug',
    status: 200,
    type: SpaceSchema,
    problems: { 404: ['not_found'] },
  })
  get(@Param('id') idOrSlug: string): Promise<SpaceView> {
    return this.spaces.get(idOrSlug);
  }

  @Patch(':id')
  @ApiDoc({
    summary: 'Change a space',
    description:
      "Administrators and the space's facilitators. `thresholds` may be given in part; " +
      '`deliberation ≥ review` must hold.',
    status: 200,
    type: SpaceSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateSpaceDto,
  ): Promise<SpaceView> {
    return this.spaces.update(user, id, dto);
  }

  @Post(':id/archive')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Archive a space',
    description:
      'Administrators only. The space stays readable but takes no new topic or room and leaves ' +
      'the public list. Idempotent; audited.',
    status: 200,
    type: SpaceSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  archive(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<SpaceView> {
    return this.spaces.setArchived(user, id, true);
  }

  @Post(':id/restore')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Bring an archived space back into use',
    description: 'Administrators only. Idempotent; audited.',
    status: 200,
    type: SpaceSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  restore(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<SpaceView> {
    return this.spaces.setArchived(user, id, false);
  }

  @Get(':id/facilitators')
  @ApiDoc({
    summary: "List a space's facilitators",
    status: 200,
    type: [FacilitatorSchema],
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  facilitators(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<FacilitatorView[]> {
    return this.spaces.facilitators(user, id);
  }

  @Put(':id/facilitators/:userId')
  @ApiDoc({
    summary: 'Make a user a facilitator of the space',
    description: 'Administrators only; idempotent. Audited.',
    status: 200,
    type: FacilitatorSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  grant(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ): Promise<FacilitatorView> {
    return this.spaces.grantFacilitator(user, id, userId);
  }

  @Delete(':id/facilitators/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiDoc({
    summary: "Revoke a user's facilitator role in the space",
    description: 'Administrators only; idempotent. Audited.',
    status: 204,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  revoke(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    return this.spaces.revokeFacilitator(user, id, userId);
  }
}
